using System.Globalization;

namespace Kernelsmith.Agents.Node.Execution;

/// <summary>What a job's processes use right now, from <c>/proc</c>: the tree under the sandbox's first process.</summary>
public readonly record struct TreeUsage(int Processes, long PrivateBytes, long CpuTicks);

/// <summary>
/// Finds a job's processes by parentage under its sandbox process and adds up what they use. Orphans
/// stay in the tree: inside the sandbox they are re-parented to its init, which is a descendant too.
/// </summary>
public static class ProcessTree
{
    /// <summary>Clock ticks per second of the times in /proc/PID/stat (USER_HZ, 100 on every Linux ABI).</summary>
    public const double TicksPerSecond = 100;

    public static TreeUsage Measure(int rootPid)
    {
        var children = new Dictionary<int, List<int>>();
        var stats = new Dictionary<int, (int Threads, long Ticks)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || ReadStat(pid) is not { } stat)
            {
                continue;
            }

            stats[pid] = (stat.Threads, stat.Ticks);
            if (!children.TryGetValue(stat.ParentPid, out var siblings))
            {
                children[stat.ParentPid] = siblings = [];
            }

            siblings.Add(pid);
        }

        var usage = new TreeUsage();
        var pending = new Stack<int>([rootPid]);
        while (pending.TryPop(out var pid))
        {
            if (stats.TryGetValue(pid, out var stat))
            {
                usage = new TreeUsage(usage.Processes + stat.Threads, usage.PrivateBytes + PrivateBytes(pid), usage.CpuTicks + stat.Ticks);
            }

            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                pending.Push(child);
            }
        }

        return usage;
    }

    /// <summary>Parent, threads and CPU ticks (its own and those of the children it reaped) of one process.</summary>
    private static (int ParentPid, int Threads, long Ticks)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name is in parentheses and may itself hold spaces and parentheses.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        if (fields.Length < 18)
        {
            return null;
        }

        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return ((int)Field(4), (int)Field(20), Field(14) + Field(15) + Field(16) + Field(17));
    }

    /// <summary>Resident pages that belong to the process alone (resident minus file-backed and shared).</summary>
    private static long PrivateBytes(int pid)
    {
        try
        {
            var fields = File.ReadAllText($"/proc/{pid}/statm").Split(' ');
            var resident = long.Parse(fields[1], CultureInfo.InvariantCulture);
            var shared = long.Parse(fields[2], CultureInfo.InvariantCulture);
            return Math.Max(0, resident - shared) * Environment.SystemPageSize;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }
}
