using Microsoft.Extensions.Options;

namespace Kernelsmith.Agents.Node.Hosting;

/// <summary>How a node agent identifies itself and where it works. Bound from the <c>Agent</c> section.</summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>Unique id of the agent in the cluster; defaults to the host name and port.</summary>
    public string? Id { get; set; }

    /// <summary>The pool the agent belongs to (e.g. multicore, mpi, gpu).</summary>
    public string Pool { get; set; } = "default";

    /// <summary>The silo's gRPC address the agent registers with, e.g. http://127.0.0.1:5070.</summary>
    public string? Silo { get; set; }

    /// <summary>Where build and run directories and the artifact cache live.</summary>
    public string WorkRoot { get; set; } = Path.Combine(Path.GetTempPath(), "kernelsmith-agent");

    /// <summary>The most bytes of stdout and of stderr kept per job.</summary>
    public int MaxOutputBytes { get; set; } = 1 << 20;
}

internal sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Silo) || !Uri.TryCreate(options.Silo, UriKind.Absolute, out _))
        {
            failures.Add($"{AgentOptions.Section}:Silo must be the silo's gRPC URL (got '{options.Silo}')");
        }

        if (string.IsNullOrWhiteSpace(options.Pool))
        {
            failures.Add($"{AgentOptions.Section}:Pool must not be empty");
        }

        if (options.MaxOutputBytes < 1024)
        {
            failures.Add($"{AgentOptions.Section}:MaxOutputBytes must be at least 1024");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
