using Kernelsmith.Agents.Node.Capabilities;
using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Agents.Node.Jobs;
using Kernelsmith.Contracts.Protos;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Agents.Node.Hosting;

/// <summary>Who this agent is and what its machine can do, detected once at start.</summary>
public sealed class AgentIdentity(IOptions<AgentOptions> options, CoreLedger cores, SlurmLauncher slurm)
{
    /// <summary>The capability report's entry for the Slurm cluster the agent can reach (partitions, MPI plugins, how it submits).</summary>
    public const string SlurmTool = "slurm";

    private readonly Lazy<AgentCapabilities> _capabilities = new(() =>
    {
        var detected = CapabilityProbe.Detect();
        // What the cluster may schedule here: the cores jobs may use, not every core the machine has.
        detected.Cores = cores.Cores;
        detected.MaxProcesses = options.Value.Limits.Processes;
        if (options.Value.Technologies.Count > 0)
        {
            var offered = detected.Technologies.Where(options.Value.Technologies.Contains).ToList();
            detected.Technologies.Clear();
            detected.Technologies.AddRange(offered);
        }

        var calibration = Contracts.Experiments.CalibrationFile.Load(
            options.Value.CalibrationFile ?? Contracts.Experiments.CalibrationFile.DefaultPath, Contracts.Agents.HardwareDescription.Describe(detected));
        detected.Calibration = calibration?.Summary ?? "";
        if (slurm.Describe() is { } cluster)
        {
            detected.Tools.Add(new ToolVersion { Name = SlurmTool, Version = cluster });
        }

        return detected;
    });

    public string AgentId { get; } = options.Value.Id ?? $"{Environment.MachineName}-{Guid.NewGuid().ToString("n")[..6]}";

    public string Pool => options.Value.Pool;

    public AgentCapabilities Capabilities => _capabilities.Value;

    /// <summary>The version line of a tool, as recorded in results' provenance.</summary>
    public string ToolVersion(string tool)
    {
        var known = Capabilities.Tools.FirstOrDefault(t => t.Name == tool)?.Version;
        return known is null ? tool : $"{tool}: {known}";
    }
}
