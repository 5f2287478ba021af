using System.CommandLine;
using System.Globalization;
using Kernelsmith.Cli.Embedded;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Kernels;
using Spectre.Console;

namespace Kernelsmith.Cli.Commands;

/// <summary>
/// <c>kernelsmith calibrate</c>: the unchanged sequential reference against itself, paired, on each agent and count,
/// so a researcher sees before a sweep whether a node can tell a 3 % difference (docs/measurement.md).
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create(Option<string[]> kernels)
    {
        var kernel = new Option<string>("--kernel") { Description = "The kernel whose reference is timed (default: gemm)", DefaultValueFactory = _ => "gemm" };
        var input = new Option<string>("--input") { Description = "Its input set (default: small)", DefaultValueFactory = _ => "small" };
        var threads = new Option<int[]>("--threads") { Description = "Counts to calibrate at (default: 1 and every core)", AllowMultipleArgumentsPerToken = true };
        var precision = new Option<double>("--precision") { Description = "Target half-width of the 95 % interval (default: 0.03)", DefaultValueFactory = _ => 0.03 };
        var maxPairs = new Option<int>("--max-pairs") { Description = "The most pairs per count (default: 30)", DefaultValueFactory = _ => 30 };
        var maxSeconds = new Option<double>("--max-seconds") { Description = "No new pair after this many seconds per count (default: 120)", DefaultValueFactory = _ => 120 };
        var save = new Option<string>("--save")
        {
            Description = "Where to keep the result for this node's agents, which report it and put it in every record's provenance",
            DefaultValueFactory = _ => CalibrationFile.DefaultPath,
        };
        var json = CliOutput.JsonOption();
        var command = new Command("calibrate", "Time the sequential reference against itself on the local node: its bias and noise")
        {
            kernels, kernel, input, threads, precision, maxPairs, maxSeconds, save, json,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(kernels), parse.GetValue(kernel)!, parse.GetValue(input)!, parse.GetValue(threads) ?? [], parse.GetValue(save)!, parse.GetValue(json),
            new RunSettings(parse.GetValue(input)!, [], [1], 6, 600, 120)
            {
                Precision = parse.GetValue(precision), MaxPairs = parse.GetValue(maxPairs), MaxSeconds = parse.GetValue(maxSeconds),
            },
            cancellationToken));
        return command;
    }

    /// <summary>Calibrates the local node at each count and keeps the result at <paramref name="savePath"/> for its agents.</summary>
    public static async Task<IReadOnlyList<Calibration>> CalibrateAsync(
        string[]? kernelDirectories, string kernelId, IReadOnlyList<int> counts, RunSettings run, string savePath, CancellationToken cancellationToken)
    {
        var catalog = KernelCatalog.Load(CatalogDirectories.Resolve(kernelDirectories, Directory.GetCurrentDirectory()));
        var kernel = catalog.TryGet(kernelId, out var found) ? found : throw new UserException($"unknown kernel '{kernelId}'");
        if (!kernel.Inputs.ContainsKey(run.Input))
        {
            throw new UserException($"kernel '{kernelId}' has no input set '{run.Input}' (it has: {string.Join(", ", kernel.Inputs.Keys)})");
        }

        await using var cluster = await EmbeddedCluster.StartAsync(Path.Combine(Path.GetTempPath(), "kernelsmith", $"calibrate-{Guid.NewGuid():n}"), cancellationToken);
        using var client = cluster.Connect();
        var calibrations = new List<Calibration>();
        foreach (var agent in (await client.CallAsync(async c => await c.ListAgentsAsync(new ListAgentsRequest(), cancellationToken: cancellationToken), cancellationToken)).Agents)
        {
            var own = new List<Calibration>();
            foreach (var count in counts.Count > 0 ? counts : [1, agent.Cores])
            {
                cancellationToken.ThrowIfCancellationRequested();
                var order = new CalibrateRequest { Order = cluster.Serialize(new CalibrationOrder(kernel, run, agent.AgentId, count)) };
                var reply = await client.CallAsync(async c => await c.CalibrateAsync(order, cancellationToken: cancellationToken), cancellationToken);
                own.Add(cluster.Deserialize<Calibration>(reply.Calibration));
            }

            // The embedded agent is this node's: what it measured holds for every agent started here on the same hardware.
            new CalibrationFile(agent.Hardware, DateTimeOffset.UtcNow, [.. own.Select(CalibrationFile.Describe)]).Save(savePath);
            calibrations.AddRange(own);
        }

        return calibrations;
    }

    private static async Task<int> RunAsync(
        string[]? kernelDirectories, string kernel, string input, int[] counts, string savePath, bool json, RunSettings run, CancellationToken cancellationToken)
    {
        var calibrations = await CalibrateAsync(kernelDirectories, kernel, counts.Distinct().Order().ToList(), run, savePath, cancellationToken);
        string Verdict(PairedTiming t) => t.Noisy ? $"noisy: cannot tell {run.Precision * 100:0.#} % apart" : t.SpeedupCi[0] <= 1 && 1 <= t.SpeedupCi[1] ? "quiet" : "biased";
        if (json)
        {
            foreach (var c in calibrations)
            {
                var t = c.Timing;
                CliOutput.WriteJson(new CalibrationLine(
                    c.AgentId, c.Kernel, c.Input, c.Threads, t.Speedup, t.SpeedupCi, double.IsFinite(c.HalfWidth) ? c.HalfWidth : null, t.Pairs, t.Cv, t.Noisy, t.Stopped,
                    t.Noisy ? "noisy" : Verdict(t), savePath));
            }
        }
        else if (Console.IsOutputRedirected)
        {
            // Into a pipe or a file, a line per agent and count: a table there would wrap its cells.
            foreach (var c in calibrations)
            {
                Console.WriteLine($"{c.AgentId}: {CalibrationFile.Describe(c)}, stopped at {c.Timing.Stopped}: {Verdict(c.Timing)}");
            }
        }
        else
        {
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumns("agent", "kernel", "input", "threads", "bias", "95 % interval", "half-width", "pairs", "cv", "stopped", "verdict");
            foreach (var c in calibrations)
            {
                var t = c.Timing;
                var verdict = Verdict(t);
                table.AddRow(
                    Markup.Escape(c.AgentId), c.Kernel, c.Input, c.Threads.ToString(CultureInfo.InvariantCulture),
                    t.Speedup.ToString("F3", CultureInfo.InvariantCulture),
                    Markup.Escape($"[{t.SpeedupCi[0].ToString("F3", CultureInfo.InvariantCulture)}, {t.SpeedupCi[1].ToString("F3", CultureInfo.InvariantCulture)}]"),
                    $"{c.HalfWidth * 100:F1} %",
                    t.Pairs.ToString(CultureInfo.InvariantCulture),
                    t.Cv.ToString("F3", CultureInfo.InvariantCulture),
                    t.Stopped,
                    t.Noisy ? $"[yellow]{verdict}[/]" : t.SpeedupCi[0] <= 1 && 1 <= t.SpeedupCi[1] ? $"[green]{verdict}[/]" : $"[red]{verdict}[/]");
            }

            AnsiConsole.Write(table);
        }

        CliOutput.Progress.WriteLine($"Saved to {savePath}: agents started on this node report it (kernelsmith agents), and records they time carry it in their provenance.");
        return 0;
    }
}

/// <summary>
/// One line of <c>calibrate --json</c>: an agent at one count. <c>bias</c> is the reference's speedup over itself (1 on a
/// quiet node), <c>half_width</c> the interval's larger side relative to it (0.03: the node tells 3 % apart; null when
/// unbounded), <c>verdict</c> <c>quiet</c>, <c>biased</c> or <c>noisy</c>, <c>saved</c> where the result was kept.
/// </summary>
internal sealed record CalibrationLine(
    string Agent, string Kernel, string Input, int Threads, double Bias, IReadOnlyList<double> SpeedupCi, double? HalfWidth, int Pairs, double Cv, bool Noisy,
    string Stopped, string Verdict, string Saved);
