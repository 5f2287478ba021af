using System.Text;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Llm;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Silo.Services;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using static Kernelsmith.Silo.Dashboard.Html;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>
/// The Cluster page: silos (Orleans membership), agents by pool (hardware, technologies, load, calibration, heartbeat),
/// and model endpoints (quota use now, and infra errors among the recorded experiments of the sweeps this silo watches).
/// </summary>
public sealed class ClusterPage(IGrainFactory grains, SweepReads reads, SweepFeeds feeds, TimeProvider time, IOptions<DashboardOptions> options, ILogger<ClusterPage> logger)
{
    public const string BodyId = "cluster";
    private SharedPoll<string>? _feed;

    /// <summary>The page's body, rendered once per reading (every 2 s at most) for every browser watching it on this silo.</summary>
    public SharedPoll<string> Feed => LazyInitializer.EnsureInitialized(ref _feed, () => new SharedPoll<string>("cluster", RenderAsync, (before, now) => before != now,
        TimeSpan.FromSeconds(Math.Max(2, options.Value.RefreshSeconds)), logger));

    /// <summary>The page's body, read now (one call to the management grain, the registry, and each model's quota).</summary>
    public async Task<string> RenderAsync(CancellationToken cancellationToken)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        var agents = await reads.AgentsAsync();
        var sweeps = feeds.Index.Current ?? await feeds.Index.GetAsync(cancellationToken);
        var body = new StringBuilder();
        body.Append("<section aria-labelledby=\"silos-title\"><h2 id=\"silos-title\">Silos</h2>")
            .Append(Table("Silos in the cluster's membership", ["silo", "address", "host", "status", "started", "last alive"],
                hosts.OrderBy(h => h.SiloName, StringComparer.Ordinal).Select(h =>
                    $"<tr><td>{E(h.SiloName)}</td><td>{E(h.SiloAddress.ToParsableString())}</td><td>{E(h.HostName)}</td><td>{E(h.Status.ToString())}</td>"
                    + $"<td>{E(h.StartTime.ToString("u", System.Globalization.CultureInfo.InvariantCulture))}</td><td>{E(h.IAmAliveTime.ToString("u", System.Globalization.CultureInfo.InvariantCulture))}</td></tr>")))
            .Append("</section>");
        body.Append("<section aria-labelledby=\"agents-title\"><h2 id=\"agents-title\">Agents by pool</h2>");
        if (agents.Count == 0)
        {
            body.Append("<p>No agent is live.</p>");
        }

        foreach (var pool in agents.GroupBy(a => a.Pool).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            body.Append(Table($"Pool {pool.Key}", ["agent", "hardware", "technologies", "load", "calibration", "health"], pool.OrderBy(a => a.AgentId, StringComparer.Ordinal).Select(Agent)));
        }

        body.Append("</section><section aria-labelledby=\"models-title\"><h2 id=\"models-title\">Model endpoints</h2>")
            .Append("<p>Calls in flight, waiting, ended and failed (the endpoint refused or did not answer), and the times the per-minute limits held a free slot back, come from each endpoint's cluster-wide quota since it was last started; infra errors are the recorded experiments that ended as infra_error (the endpoint or the system failed), among the sweeps watched on this silo.</p>")
            .Append(Table("Model endpoints used by the listed sweeps", ["endpoint", "models", "concurrency", "in flight", "most at once", "waiting", "calls ended", "failed", "rate-limit waits", "infra errors / recorded"],
                await Task.WhenAll(Endpoints(sweeps).Select(EndpointRowAsync))))
            .Append("</section>");
        return body.ToString();
    }

    private string Agent(AgentInfo agent)
    {
        var age = time.GetUtcNow() - agent.LastHeartbeat;
        var health = age < TimeSpan.FromSeconds(30) ? $"heartbeat {N(age.TotalSeconds, "0")} s ago" : $"<strong>no heartbeat for {Duration(age)}</strong>";
        var technologies = E(string.Join(", ", agent.Technologies)) + (agent.Unavailable.Count > 0 ? $"<br><small>unavailable: {E(string.Join("; ", agent.Unavailable))}</small>" : "");
        return $"<tr><td>{E(agent.AgentId)}<br><small>{E(agent.Address)}</small></td><td>{E(agent.Hardware)}{string.Concat(agent.Gpus.Select(g => $"<br><small>GPU {g.Index}: {E(g.Name)}</small>"))}</td>"
            + $"<td>{technologies}</td><td>{agent.BusyCores} / {agent.Cores} cores busy, {agent.QueuedJobs} queued</td><td>{(agent.Calibration.Length > 0 ? E(agent.Calibration) : "not calibrated")}</td><td>{health}</td></tr>";
    }

    private static IEnumerable<(string Key, IReadOnlyList<ModelSpec> Models)> Endpoints(IReadOnlyList<SweepEntry> sweeps) =>
        sweeps.SelectMany(s => s.Models).GroupBy(ModelGateway.QuotaKey).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<ModelSpec>)[.. g.DistinctBy(m => m.Id)]));

    private async Task<string> EndpointRowAsync((string Key, IReadOnlyList<ModelSpec> Models) endpoint)
    {
        var model = endpoint.Models[0];
        var quota = model.Limits is not null || !model.IsOffline ? await grains.GetGrain<IModelQuotaGrain>(endpoint.Key).GetUsageAsync() : null;
        var names = endpoint.Models.Select(m => m.DisplayName).ToHashSet();
        var records = feeds.Watched().SelectMany(v => v.Records).Where(r => names.Contains(r.Model)).ToList();
        var errors = records.Count(r => r.Verdict == Verdict.InfraError);
        return $"<tr><td>{E(endpoint.Key)}</td><td>{E(string.Join(", ", endpoint.Models.Select(m => m.DisplayName)))}</td><td class=\"num\">{(model.Limits is { } limits ? N(limits.Concurrency) : "–")}</td>"
            + (quota is null ? "<td colspan=\"6\">no quota (a simulated model)</td>" : $"<td class=\"num\">{quota.InFlight}</td><td class=\"num\">{quota.Peak}</td><td class=\"num\">{quota.Waiting}</td>"
                + $"<td class=\"num\">{quota.Calls}</td><td class=\"num\">{quota.Failed}{(quota.Calls > 0 ? $" ({N(100.0 * quota.Failed / quota.Calls, "0")} %)" : "")}</td>"
                + $"<td class=\"num\">{quota.RateLimitWaits}{(quota.RateLimitedUntil is { } until ? $"<br><small>held until {until.ToUniversalTime():HH:mm:ss} UTC</small>" : "")}</td>")
            + $"<td class=\"num\">{errors} / {records.Count}</td></tr>";
    }
}
