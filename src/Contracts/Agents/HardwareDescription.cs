using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Contracts.Agents;

/// <summary>An agent's machine in one line: what provenance records, <c>agents</c> lists and prompt templates may mention.</summary>
public static class HardwareDescription
{
    public static string Describe(AgentCapabilities capabilities)
    {
        var spec = capabilities.Hardware;
        var parts = new List<string> { capabilities.CpuModel };
        parts.Add(spec is { Sockets: > 0, CoresPerSocket: > 0 }
            ? $"{spec.Sockets} socket(s) x {spec.CoresPerSocket} cores x {Math.Max(1, spec.ThreadsPerCore)} thread(s), {capabilities.Cores} cores for jobs"
            : $"{capabilities.Cores} cores");
        if (spec is { NumaNodes: > 0 })
        {
            parts.Add($"{spec.NumaNodes} NUMA node(s)");
        }

        if (spec is { Caches.Count: > 0 })
        {
            parts.Add(string.Join(", ", spec.Caches));
        }

        parts.Add($"{capabilities.MemoryBytes / (1L << 30)} GiB");
        parts.AddRange(spec?.Gpus.Select(g =>
            $"GPU {g.Index}: {g.Name}, {g.MemoryBytes / (1L << 30)} GiB, compute capability {g.ComputeCapability}{(g.SmCount > 0 ? $", {g.SmCount} SMs" : "")}") ?? []);
        return string.Join("; ", parts);
    }
}
