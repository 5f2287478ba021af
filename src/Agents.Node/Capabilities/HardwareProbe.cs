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
        if (spec.Caches.Count == 0 && CapabilityProbe.Output("getconf", "-a") is { } getconf)
        {
            // Some virtual machines expose no cache topology in sysfs, so lscpu lists none; glibc still reads CPUID.
            spec.Caches.AddRange(ParseGetconfCaches(getconf));
        }

        if (CapabilityProbe.Output("nvidia-smi", "--query-gpu=index,name,memory.total,compute_cap,uuid", "--format=csv,noheader,nounits") is { } gpus)
        {
            spec.Gpus.AddRange(ParseNvidiaSmi(gpus));
            if (spec.Gpus.Count > 0 && DeviceProperties() is { } properties)
            {
                AddMultiprocessors(spec.Gpus, properties);
            }
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

    /// <summary>The cache sizes <c>getconf -a</c> reports (per core, from CPUID), named as lscpu names them.</summary>
    public static IEnumerable<string> ParseGetconfCaches(string text)
    {
        var fields = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
        foreach (var (key, name) in new[] { ("LEVEL1_DCACHE_SIZE", "L1d"), ("LEVEL2_CACHE_SIZE", "L2"), ("LEVEL3_CACHE_SIZE", "L3") })
        {
            if (fields.TryGetValue(key, out var value) && long.TryParse(value, CultureInfo.InvariantCulture, out var bytes) && bytes > 0)
            {
                yield return $"{name} {(bytes >= 1 << 20 ? $"{bytes >> 20} MiB" : $"{bytes >> 10} KiB")}";
            }
        }
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
    /// Adds the SM counts from the CUDA probe's lines (<c>UUID SMS</c>), matched by UUID: the CUDA runtime may number
    /// devices in another order than nvidia-smi.
    /// </summary>
    public static void AddMultiprocessors(IEnumerable<GpuDevice> gpus, string probeOutput)
    {
        var counts = probeOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(cells => cells.Length == 2 && int.TryParse(cells[1], CultureInfo.InvariantCulture, out _))
            .ToDictionary(cells => cells[0], cells => int.Parse(cells[1], CultureInfo.InvariantCulture), StringComparer.OrdinalIgnoreCase);
        foreach (var gpu in gpus)
        {
            gpu.SmCount = counts.GetValueOrDefault(gpu.Uuid);
        }
    }

    private const string DevicePropertiesProgram = """
        #include <cstdio>
        #include <cuda_runtime.h>
        int main() {
            int n = 0;
            if (cudaGetDeviceCount(&n) != cudaSuccess) return 1;
            for (int i = 0; i < n; i++) {
                cudaDeviceProp p;
                if (cudaGetDeviceProperties(&p, i) != cudaSuccess) return 1;
                printf("GPU-");
                for (int b = 0; b < 16; b++) printf(b == 4 || b == 6 || b == 8 || b == 10 ? "-%02x" : "%02x", (unsigned char)p.uuid.bytes[b]);
                printf(" %d\n", p.multiProcessorCount);
            }
            return 0;
        }
        """;

    /// <summary>What a small CUDA program prints about each device, or null without nvcc or a working driver.</summary>
    private static string? DeviceProperties()
    {
        if (CapabilityProbe.Version("nvcc", "--version") is null)
        {
            return null;
        }

        var directory = Directory.CreateTempSubdirectory("kernelsmith-cuda-probe-");
        try
        {
            var source = Path.Combine(directory.FullName, "probe.cu");
            var program = Path.Combine(directory.FullName, "probe");
            File.WriteAllText(source, DevicePropertiesProgram);
            return CapabilityProbe.Output("nvcc", source, "-o", program) is null ? null : CapabilityProbe.Output(program);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The sanitizers a build here can use: each is built into a one-line program and run, because clang without its
    /// runtime libraries compiles and then fails to link. compute-sanitizer counts when it is installed.
    /// </summary>
    private static IEnumerable<string> WorkingSanitizers()
    {
        foreach (var (name, flags) in new[] { ("thread", "-fsanitize=thread"), ("memory", "-fsanitize=address,undefined") })
        {
            if (ToolchainCheck.Sanitizer(flags) is null)
            {
                yield return name;
            }
        }

        if (CapabilityProbe.Version("compute-sanitizer", "--version") is not null)
        {
            yield return "compute-sanitizer";
        }
    }
}
