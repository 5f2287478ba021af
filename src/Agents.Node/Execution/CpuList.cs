using System.Globalization;

namespace Kernelsmith.Agents.Node.Execution;

/// <summary>Linux CPU lists (<c>0-3,8,10-11</c>), as taskset, cpusets and /proc/self/status write them.</summary>
public static class CpuList
{
    public static bool TryParse(string text, out IReadOnlyList<int> cpus)
    {
        var parsed = new SortedSet<int>();
        cpus = [];
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-', 2);
            if (!int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            {
                return false;
            }

            var last = first;
            if (bounds.Length == 2 && !int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out last))
            {
                return false;
            }

            if (last < first)
            {
                return false;
            }

            for (var cpu = first; cpu <= last; cpu++)
            {
                parsed.Add(cpu);
            }
        }

        cpus = [.. parsed];
        return parsed.Count > 0;
    }

    public static string Format(IEnumerable<int> cpus) => string.Join(",", cpus.Order().Select(c => c.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The CPUs this process may run on (its affinity mask, which a container's cpuset also narrows).</summary>
    public static IReadOnlyList<int> Allowed()
    {
        const string status = "/proc/self/status";
        var line = File.Exists(status)
            ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))
            : null;
        return line is not null && TryParse(line["Cpus_allowed_list:".Length..], out var cpus)
            ? cpus
            : [.. Enumerable.Range(0, Environment.ProcessorCount)];
    }
}
