using Kernelsmith.Cli.Commands;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Sweeps;
using Kernelsmith.Results;
using Kernelsmith.Results.Reports;
using Spectre.Console;

namespace Kernelsmith.Cli.Embedded;

/// <summary>Runs a sweep on an embedded cluster, with live progress, appending records to the results directory as they come.</summary>
internal static class SweepRunner
{
    /// <summary>Runs <paramref name="spec"/>; <paramref name="beforeSubmit"/> is called once the cluster is up, just before the sweep is submitted.</summary>
    public static async Task<IReadOnlyList<ExperimentRecord>> RunAsync(
        SweepSpec spec, IReadOnlyList<KernelDefinition> kernels, ResultsDirectory results, CancellationToken cancellationToken,
        Contracts.Security.ModelCredentials? credentials = null, IReadOnlyList<ExperimentRecord>? kept = null,
        Action<IServiceCollection>? siloServices = null, EmbeddedDashboard? dashboard = null, Action? beforeSubmit = null)
    {
        var sweepId = SweepIds.For(spec, kernels);
        var workRoot = Path.Combine(Path.GetTempPath(), "kernelsmith", sweepId);
        try
        {
            return await RunAsync(spec, kernels, results, sweepId, workRoot, credentials, kept, siloServices, dashboard, beforeSubmit, cancellationToken);
        }
        finally
        {
            // The agent's jobs and artifact cache: everything worth keeping is in the results directory by now.
            DeleteWorkRoot(workRoot);
        }
    }

    private static async Task<IReadOnlyList<ExperimentRecord>> RunAsync(
        SweepSpec spec, IReadOnlyList<KernelDefinition> kernels, ResultsDirectory results, string sweepId, string workRoot,
        Contracts.Security.ModelCredentials? credentials, IReadOnlyList<ExperimentRecord>? kept, Action<IServiceCollection>? siloServices,
        EmbeddedDashboard? dashboard, Action? beforeSubmit, CancellationToken cancellationToken)
    {
        if (spec.Models.Any(m => m.IsSimulated))
        {
            CliOutput.Progress.MarkupLine("[yellow]Simulated models in this sweep:[/] " + Markup.Escape(string.Join(", ", spec.Models.Where(m => m.IsSimulated).Select(m => m.DisplayName))));
        }

        // Live displays need a terminal; logs, CI and tests (several sweeps in one process) get plain lines.
        var interactive = CliOutput.Progress.Profile.Capabilities.Interactive;
        const string starting = "Starting the embedded silo and agent...";
        Task<EmbeddedCluster> Start() => EmbeddedCluster.StartAsync(workRoot, cancellationToken, credentials: credentials, siloServices: siloServices, dashboardPort: dashboard?.Port);
        await using var cluster = interactive
            ? await CliOutput.Progress.Status().StartAsync(starting, _ => Start())
            : await Announce(starting, Start);
        if (cluster.DashboardUrl is { } url)
        {
            dashboard!.Opened(url);
        }

        // From here on the runner is a client of the sweep API like submit and watch, with the silo's one-time token.
        using var client = cluster.Connect();
        var agents = await client.CallAsync(async c => await c.ListAgentsAsync(new ListAgentsRequest(), cancellationToken: cancellationToken), cancellationToken);
        await Preflight.CheckAsync(spec, kernels, agents.Agents, credentials, cancellationToken);
        // Records kept from an interrupted run are the sweep's first, so what it records from here on follows them.
        var held = kept ?? [];
        if (held.Count > 0)
        {
            CliOutput.Progress.WriteLine($"Resuming: {held.Count} experiment(s) already recorded in {results.Path} are kept, not run again");
        }

        beforeSubmit?.Invoke();
        var submitted = await client.CallAsync(
            async c => await c.SubmitAsync(new SubmitRequest { Prepared = cluster.Serialize(new PreparedSweep(spec, kernels, held)) }, cancellationToken: cancellationToken),
            cancellationToken);
        string Describe(SweepStatus status) =>
            $"{spec.Name}: done {status.Recorded}/{status.Total} | running {status.Running} | failed {status.Recorded - status.ByVerdict.GetValueOrDefault(Verdict.Correct.ToWireName())}";
        Task<IReadOnlyList<ExperimentRecord>> WatchAsync(Action<SweepStatus> show) => new SweepWatch(client, submitted.SweepId, results, held)
        {
            OnStatus = show,
            OnRecord = record =>
            {
                if (record.Rounds > 1)
                {
                    CliOutput.Progress.MarkupLine(Markup.Escape(RepairStory(record)));
                }
            },
        }.RunAsync(follow: true, cancellationToken);

        IReadOnlyList<ExperimentRecord> records = [];
        if (interactive)
        {
            await CliOutput.Progress.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var bar = context.AddTask("starting", maxValue: 1);
                    records = await WatchAsync(status =>
                    {
                        bar.MaxValue = Math.Max(1, status.Total);
                        bar.Value = status.Recorded;
                        bar.Description = Describe(status);
                    });
                });
        }
        else
        {
            var last = "";
            records = await WatchAsync(status =>
            {
                if (Describe(status) is var line && line != last)
                {
                    CliOutput.Progress.WriteLine(last = line);
                }
            });
        }

        await SweepReport.WriteAsync(results, records, cancellationToken);
        if (dashboard is not null)
        {
            await dashboard.AfterSweepAsync(records, cancellationToken);
        }

        return records;
    }

    private static void DeleteWorkRoot(string workRoot)
    {
        try
        {
            Directory.Delete(workRoot, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone already, or still held: a later run of the same sweep removes it.
            if (Directory.Exists(workRoot))
            {
                Console.Error.WriteLine($"warning: could not remove the work directory {workRoot}: {e.Message}");
            }
        }
    }

    private static async Task<T> Announce<T>(string what, Func<Task<T>> action)
    {
        CliOutput.Progress.WriteLine(what);
        return await action();
    }

    /// <summary>One line per repaired experiment: what each round's verdict was.</summary>
    private static string RepairStory(ExperimentRecord record)
    {
        var rounds = record.Attempts.Select(a => $"round {a.Round}: {a.Verdict.ToWireName()}");
        return $"  repaired {record.Kernel} / {record.Model} / {record.Technology} / {record.Sample}: {string.Join(" -> ", rounds)}";
    }
}
