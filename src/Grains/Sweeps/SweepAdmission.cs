using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Sweeps;

/// <summary>
/// What a sweep needs of the agents that no live one offers: a technology its experiments use, on the pools the spec pins
/// it to. The embedded runner refuses such a sweep before it starts; a cluster sweep shows it in its status while its
/// experiments wait for such an agent to join.
/// </summary>
public static class SweepAdmission
{
    /// <summary>One line per technology no live agent can run, with what the agents offer and why a toolchain is unavailable.</summary>
    public static IReadOnlyList<string> Unserved(SweepSpec spec, IEnumerable<string> technologies, IReadOnlyList<AgentInfo> agents)
    {
        var unserved = new List<string>();
        foreach (var technology in technologies.Where(t => t != Technologies.Auto).Distinct().Order(StringComparer.Ordinal))
        {
            var pools = spec.Pools?.GetValueOrDefault(technology);
            if (agents.Any(a => a.Technologies.Contains(technology) && (pools is not { Count: > 0 } || pools.Contains(a.Pool))))
            {
                continue;
            }

            var where = pools is { Count: > 0 } ? $" in pool {string.Join(" or ", pools)}" : "";
            var offered = agents.Count == 0 ? "none: no agent is live" : string.Join(", ", agents.Select(a => $"{a.AgentId} [{string.Join(", ", a.Technologies)}]"));
            var why = agents.SelectMany(a => a.Unavailable.Where(u => u.StartsWith($"{technology}:", StringComparison.Ordinal)).Select(u => $"{a.AgentId}: {u}")).ToList();
            unserved.Add($"no agent{where} offers {technology} (agents offer: {offered})" + (why.Count > 0 ? $"; unavailable: {string.Join("; ", why)}" : ""));
        }

        return unserved;
    }

    /// <summary>
    /// One line per thread or rank list with counts beyond what any live agent able to run the technology lets a job
    /// start (its process limit): such runs could only crash, and the crash would be charged to the model.
    /// </summary>
    public static IReadOnlyList<string> Unhonoured(SweepSpec spec, IEnumerable<string> technologies, IReadOnlyList<AgentInfo> agents)
    {
        var used = technologies.ToHashSet(StringComparer.Ordinal);
        var lines = new List<string>();
        foreach (var (field, counts, users) in new[] { ("threads", spec.Run.Threads, new[] { Technologies.OpenMp, Technologies.Mpi }), ("ranks", spec.Run.Ranks, [Technologies.Mpi]) })
        {
            foreach (var technology in users.Where(used.Contains))
            {
                var pools = spec.Pools?.GetValueOrDefault(technology);
                var able = agents.Where(a => a.Technologies.Contains(technology) && (pools is not { Count: > 0 } || pools.Contains(a.Pool))).ToList();
                if (able.Count == 0 || able.Any(a => a.MaxProcesses <= 0))
                {
                    continue;
                }

                var most = able.Max(a => a.MaxProcesses);
                if (counts.Where(c => c > most).ToList() is { Count: > 0 } impossible)
                {
                    lines.Add($"run.{field}: {string.Join(", ", impossible)} exceed what any agent offering {technology} lets a job start " +
                        $"(at most {most} processes and threads)");
                    break;
                }
            }
        }

        return lines;
    }
}
