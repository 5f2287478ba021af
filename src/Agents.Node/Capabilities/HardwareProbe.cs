using System.Globalization;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Capabilities;

/// <summary>
/// The machine's shape as a reader of a speedup table needs it: sockets, cores, hardware threads, caches and NUMA
/// nodes (from <c>lscpu</c>), the GPUs (from <c>nvidia-smi</c>) and which sanitizers really work here.
/// </summary>
public static class HardwareProbe
{
    public static HardwareSpec Detect()
    {
        var spec = CapabilityProbe.Output("lscpu") is { } lscpu ? ParseLscpu(lscpu) : new HardwareSpec();
        if (CapabilityProbe.Output("nvidia-smi", "--query-gpu=index,name,memory.total,compute_cap,uuid", "--format=csv,noheader,nounits") is { } gpus)
        {
            spec.Gpus.AddRange(ParseNvidiaSmi(gpus));
        }

        spec.Sanitizers.AddRange(WorkingSanitizers());
        return spec;
    }

    /// <summary>Reads <c>lscpu</c>'s "Key: value" lines; what a machine does not report stays zero or empty.</summary>
    public static HardwareSpec ParseLscpu(string text)
    {
        var fields = text.Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0].Trim(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.Ordinal);
        int Int(string key) => fields.TryGetValue(key, out var value) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var spec = new HardwareSpec
        {
            Sockets = Int("Socket(s)"),
            CoresPerSocket = Int("Core(s) per socket"),
            ThreadsPerCore = Int("Thread(s) per core"),
            NumaNodes = Int("NUMA node(s)"),
        };
        foreach (var (key, name) in new[] { ("L1d cache", "L1d"), ("L2 cache", "L2"), ("L3 cache", "L3") })
        {
            if (fields.TryGetValue(key, out var size))
            {
                spec.Caches.Add($"{name} {size}");
            }
        }

        return spec;
    }

    /// <summary>Reads <c>nvidia-smi --query-gpu=index,name,memory.total,compute_cap,uuid --format=csv,noheader,nounits</c>.</summary>
    public static IEnumerable<GpuDevice> ParseNvidiaSmi(string csv)
    {
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var cells = line.Split(',', StringSplitOptions.TrimEntries);
            if (cells.Length < 5 || !int.TryParse(cells[0], CultureInfo.InvariantCulture, out var index))
            {
                continue;
            }

            yield return new GpuDevice
            {
                Index = index,
                Name = cells[1],
                MemoryBytes = long.TryParse(cells[2], CultureInfo.InvariantCulture, out var mib) ? mib << 20 : 0,
                ComputeCapability = cells[3],
                Uuid = cells[4],
            };
        }
    }

    /// <summary>
    /// The sanitizers a build here can use: each is tried on a one-line program, because clang without its runtime
    /// libraries compiles and then fails to link. compute-sanitizer counts when it is installed.
    /// </summary>
    private static IEnumerable<string> WorkingSanitizers()
    {
        var directory = Directory.CreateTempSubdirectory("kernelsmith-probe-");
        try
        {
            var source = Path.Combine(directory.FullName, "probe.c");
            File.WriteAllText(source, "int main(void) { return 0; }\n");
            foreach (var (name, flags) in new[] { ("thread", "-fsanitize=thread"), ("memory", "-fsanitize=address,undefined") })
            {
                if (CapabilityProbe.Output("clang", flags, "-fopenmp", source, "-o", Path.Combine(directory.FullName, name)) is not null)
                {
                    yield return name;
                }
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        if (CapabilityProbe.Version("compute-sanitizer", "--version") is not null)
        {
            yield return "compute-sanitizer";
        }
    }
}
