namespace Kernelsmith.Agents.Node.Execution;

/// <summary>
/// A cgroup cpuset holding a local job to the cores it reserved. taskset alone only sets the starting affinity, which a
/// program may widen again with sched_setaffinity; inside a cpuset the kernel clamps every affinity to the set, so a
/// 1-core timing run stays on 1 core whatever it asks for. Needs a writable cpuset hierarchy (cgroup v1 or v2, an agent
/// running as root); where there is none, jobs are pinned by taskset alone.
/// </summary>
public sealed class CpusetConfinement : IDisposable
{
    private const string Parent = "kernelsmith";
    private static readonly Lazy<string?> s_root = new(FindRoot);

    private readonly string _directory;

    private CpusetConfinement(string directory) => _directory = directory;

    /// <summary>The command prefix that moves the job into the cpuset before anything of it runs (then execs the rest).</summary>
    public IReadOnlyList<string> Prefix => ["bash", "-c", $"echo $$ > '{Path.Combine(_directory, "cgroup.procs")}' && exec \"$@\"", "kernelsmith-cpuset"];

    /// <summary>A cpuset of exactly <paramref name="cores"/> for one job, or null where cpusets cannot be made here.</summary>
    public static CpusetConfinement? TryCreate(IReadOnlyList<int> cores, string job)
    {
        if (cores.Count == 0 || s_root.Value is not { } root)
        {
            return null;
        }

        try
        {
            var parent = Path.Combine(root, Parent);
            var directory = Path.Combine(parent, job);
            Directory.CreateDirectory(directory);
            if (IsV1(root))
            {
                // A v1 cpuset starts empty: the job's memory nodes are its parent's, as are those of our own level.
                File.WriteAllText(Path.Combine(directory, "cpuset.mems"), File.ReadAllText(Path.Combine(parent, "cpuset.mems")).Trim());
            }

            File.WriteAllText(Path.Combine(directory, "cpuset.cpus"), CpuList.Format(cores));
            return new CpusetConfinement(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Removes the cpuset once the job's processes are gone (the kernel refuses while any remains).</summary>
    public void Dispose()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                Directory.Delete(_directory);
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(50);
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }
        }
    }

    /// <summary>The cpuset hierarchy with our own level made and given every CPU and memory node; null when not writable.</summary>
    private static string? FindRoot()
    {
        try
        {
            if (File.Exists("/sys/fs/cgroup/cpuset/cpuset.cpus"))
            {
                const string v1 = "/sys/fs/cgroup/cpuset";
                var parent = Directory.CreateDirectory(Path.Combine(v1, Parent)).FullName;
                foreach (var file in new[] { "cpuset.cpus", "cpuset.mems" })
                {
                    if (File.ReadAllText(Path.Combine(parent, file)).Trim().Length == 0)
                    {
                        File.WriteAllText(Path.Combine(parent, file), File.ReadAllText(Path.Combine(v1, file)).Trim());
                    }
                }

                return v1;
            }

            const string v2 = "/sys/fs/cgroup";
            if (File.Exists(Path.Combine(v2, "cgroup.controllers")) && File.ReadAllText(Path.Combine(v2, "cgroup.controllers")).Split(' ', '\n').Contains("cpuset"))
            {
                File.WriteAllText(Path.Combine(v2, "cgroup.subtree_control"), "+cpuset");
                var parent = Directory.CreateDirectory(Path.Combine(v2, Parent)).FullName;
                File.WriteAllText(Path.Combine(parent, "cgroup.subtree_control"), "+cpuset");
                return v2;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static bool IsV1(string root) => root.EndsWith("/cpuset", StringComparison.Ordinal);
}
