using System.Net.Sockets;
using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Cli.Commands;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Contracts.Security;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Sweeps;
using Spectre.Console;

namespace Kernelsmith.Cli.Embedded;

/// <summary>
/// Mistakes of configuration a sweep would otherwise meet one experiment at a time, recorded against the model or as a
/// stream of infra errors: checked once the embedded agent is up, before the first experiment, all reported together.
/// </summary>
internal static class Preflight
{
    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(5);

    public static async Task CheckAsync(
        SweepSpec spec, IReadOnlyList<KernelDefinition> kernels, IEnumerable<AgentSummary> live,
        ModelCredentials? credentials, CancellationToken cancellationToken)
    {
        var agents = live.Select(ToAgentInfo).ToList();
        var experiments = SweepExpansion.Expand("preflight", spec, kernels.ToDictionary(k => k.Id));
        var technologies = experiments.Select(e => e.Technology).Where(t => t != Technologies.Auto).Distinct().Order(StringComparer.Ordinal).ToList();
        var problems = new List<string>();
        problems.AddRange(SweepAdmission.Unserved(spec, technologies, agents).Select(u => $"technologies: {u}"));
        var unhonoured = SweepAdmission.Unhonoured(spec, technologies, agents);
        problems.AddRange(unhonoured);
        if (unhonoured.Count == 0)
        {
            Oversubscribed(spec, technologies, agents);
        }
        foreach (var model in spec.Models.Where(m => m.Provider == ModelProviders.OpenAi))
        {
            problems.AddRange(await ModelProblemsAsync(model, credentials, cancellationToken));
        }

        if (problems.Count > 0)
        {
            throw new UserException($"the sweep was not started, nothing was run or charged: {string.Join("; ", problems)}");
        }
    }

    /// <summary>An agent as the sweep API lists it, as far as the admission check reads it.</summary>
    private static AgentInfo ToAgentInfo(AgentSummary agent) =>
        new(agent.AgentId, agent.Pool, agent.Address, [.. agent.Technologies], agent.Cores, agent.CpuModel, agent.MemoryBytes, agent.Tools.ToDictionary(),
            DateTimeOffset.FromUnixTimeMilliseconds(agent.LastHeartbeatUnixMs))
        {
            Description = agent.Hardware,
            Sanitizers = [.. agent.Sanitizers],
            BusyCores = agent.BusyCores,
            QueuedJobs = agent.QueuedJobs,
            Unavailable = [.. agent.Unavailable],
            Calibration = agent.Calibration,
            MaxProcesses = agent.MaxProcesses,
        };

    /// <summary>Thread counts above every agent's cores run, but their timings share cores: a warning, not a refusal.</summary>
    private static void Oversubscribed(SweepSpec spec, IReadOnlyList<string> technologies, IReadOnlyList<AgentInfo> agents)
    {
        var cores = agents.Count == 0 ? 0 : agents.Max(a => a.Cores);
        if (technologies.Contains(Technologies.OpenMp) && cores > 0 && spec.Run.Threads.Where(c => c > cores).ToList() is { Count: > 0 } oversubscribed)
        {
            CliOutput.Progress.MarkupLine($"[yellow]warning:[/] run.threads: {string.Join(", ", oversubscribed)} exceed the agent's {cores} cores: those runs share cores, and their timings say little");
        }
    }

    /// <summary>
    /// The model's credential resolves to a key here, its endpoint accepts a connection, and the endpoint accepts the key
    /// (asked for its model list, which costs nothing); a model it does not list is a warning, since some serve aliases.
    /// </summary>
    private static async Task<IEnumerable<string>> ModelProblemsAsync(ModelSpec model, ModelCredentials? credentials, CancellationToken cancellationToken)
    {
        var endpoint = model.Endpoint ?? ModelCredentials.OpenAiEndpoint;
        string? key = null;
        if (model.Credential is { } credential && credentials is not null)
        {
            try
            {
                key = credentials.Key(credential, endpoint);
            }
            catch (InvalidOperationException e)
            {
                return [$"models.{model.Id}: {e.Message}"];
            }
        }

        if (await ReachableAsync(endpoint, cancellationToken) is { } unreachable)
        {
            return [$"models.{model.Id}: endpoint {endpoint} {unreachable}"];
        }

        if (model.Credential is not null && key is null)
        {
            return [];
        }

        var access = await ModelEndpointCheck.CheckAsync(model, key, s_connectTimeout, cancellationToken);
        if (access.Doubt is { } doubt)
        {
            CliOutput.Progress.MarkupLineInterpolated($"[yellow]warning:[/] models.{model.Id}: {doubt}");
        }

        return access.Refusal is { } refusal ? [$"models.{model.Id}: {refusal}"] : [];
    }

    /// <summary>Why nothing listens at the endpoint, or null. Behind a proxy the endpoint itself is not ours to reach.</summary>
    private static async Task<string?> ReachableAsync(string endpoint, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            || new[] { "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy" }.Any(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))))
        {
            return null;
        }

        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_connectTimeout);
        try
        {
            await client.ConnectAsync(uri.Host, uri.Port, timeout.Token);
            return null;
        }
        catch (SocketException e)
        {
            return $"is unreachable ({e.Message})";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"did not accept a connection within {s_connectTimeout.TotalSeconds:0} s";
        }
    }
}
