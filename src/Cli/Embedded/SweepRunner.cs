using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kernelsmith.Cli.Reports;
using Kernelsmith.Cli.Results;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Spectre.Console;

namespace Kernelsmith.Cli.Embedded;

/// <summary>Runs a sweep on an embedded cluster, with live progress, appending records to the results directory as they come.</summary>
internal static class SweepRunner
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(300);

    public static async Task<IReadOnlyList<ExperimentRecord>> RunAsync(
        SweepSpec spec, IReadOnlyList<KernelDefinition> kernels, ResultsDirectory results, CancellationToken cancellationToken)
    {
        var sweepId = SweepId(spec, kernels);
        if (spec.Models.Any(m => m.IsSimulated))
        {
            AnsiConsole.MarkupLine("[yellow]Simulated models in this sweep:[/] " + Markup.Escape(string.Join(", ", spec.Models.Where(m => m.IsSimulated).Select(m => m.DisplayName))));
        }

        await using var cluster = await AnsiConsole.Status().StartAsync("Starting the embedded silo and agent...",
            _ => EmbeddedCluster.StartAsync(Path.Combine(Path.GetTempPath(), "kernelsmith", sweepId), cancellationToken));
        var sweep = cluster.Grains.GetGrain<ISweepGrain>(sweepId);
        await sweep.StartAsync(spec, kernels);

        var records = new List<ExperimentRecord>();
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask("starting", maxValue: 1);
                while (true)
                {
                    var progress = await sweep.GetProgressAsync();
                    foreach (var record in await sweep.GetRecordsAsync(records.Count, int.MaxValue))
                    {
                        results.Append(record);
                        records.Add(record);
                    }

                    bar.MaxValue = Math.Max(1, progress.Total);
                    bar.Value = progress.Recorded;
                    bar.Description = $"{spec.Name}: done {progress.Recorded}/{progress.Total} | running {progress.Running} | failed {progress.Failed}";
                    if (progress.Recorded == progress.Total && records.Count == progress.Total)
                    {
                        return;
                    }

                    await Task.Delay(s_poll, cancellationToken);
                }
            });

        await SweepReport.WriteAsync(results, records, cancellationToken);
        return records;
    }

    /// <summary>The same spec and kernels give the same sweep id, so a resubmission is recognised.</summary>
    private static string SweepId(SweepSpec spec, IReadOnlyList<KernelDefinition> kernels)
    {
        var text = JsonSerializer.Serialize(spec) + string.Join(",", kernels.Select(k => k.ContentHash));
        return $"{spec.Name}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8]}";
    }
}
