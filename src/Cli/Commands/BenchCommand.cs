using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Kernelsmith.Cli.Embedded;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Contracts.Telemetry;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Results;
using Spectre.Console;

namespace Kernelsmith.Cli.Commands;

/// <summary>
/// <c>kernelsmith bench</c>: an embedded sweep of a simulated model with a fixed latency and concurrency over a no-op
/// kernel, measuring what the orchestration adds: makespan against max(model-bound, compute-bound) and against their
/// sum, overhead per experiment, dispatch latency, state transitions per second, and memory per 10,000 experiments.
/// </summary>
internal static class BenchCommand
{
    private const string NoOp = """
        #include <stdio.h>
        int main(void) { printf("ok\n"); return 0; }
        """;

    private const string NoOpParallel = """
        #include <stdio.h>
        #include <omp.h>
        int main(void)
        {
            int threads = 0;
            #pragma omp parallel
            {
                #pragma omp single
                threads = omp_get_num_threads();
            }
            if (threads > 0) printf("ok\n");
            return 0;
        }
        """;

    public static Command Create()
    {
        var experiments = new Option<int>("--experiments") { Description = "Experiments in the sweep", DefaultValueFactory = _ => 200 };
        var latency = new Option<int>("--latency-ms") { Description = "The simulated model's latency per call", DefaultValueFactory = _ => 200 };
        var concurrency = new Option<int>("--concurrency") { Description = "The simulated model's concurrent calls", DefaultValueFactory = _ => 8 };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Where the sweep's results and bench.json go (default: a temporary folder)" };
        var json = CliOutput.JsonOption();
        var command = new Command("bench", "Measure the orchestration: a simulated-latency sweep of a no-op kernel") { experiments, latency, concurrency, output, json };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(experiments), parse.GetValue(latency), parse.GetValue(concurrency), parse.GetValue(output), parse.GetValue(json), ct));
        return command;
    }

    private static async Task<int> RunAsync(int experiments, int latencyMs, int concurrency, DirectoryInfo? output, bool json, CancellationToken cancellationToken)
    {
        if (experiments < 1 || latencyMs < 0 || concurrency < 1)
        {
            throw new UserException("--experiments and --concurrency must be at least 1, --latency-ms at least 0");
        }

        var work = output?.FullName ?? Directory.CreateTempSubdirectory("kernelsmith-bench-").FullName;
        var kernel = Path.Combine(work, "kernels", "noop");
        Directory.CreateDirectory(Path.Combine(kernel, "solutions", "openmp"));
        await File.WriteAllTextAsync(Path.Combine(kernel, "noop.c"), NoOp, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(kernel, "solutions", "openmp", "noop.c"), NoOpParallel, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(kernel, KernelCatalog.DescriptorFile),
            "id: noop\ntitle: No-op (benchmark)\ntechnologies: [openmp]\nsources: [noop.c]\ninputs:\n  tiny: { args: [] }\n", cancellationToken);
        var definition = KernelCatalog.LoadFolder(kernel);
        var spec = new SweepSpec(
            "bench",
            ["noop"],
            [Technologies.OpenMp],
            [new ModelSpec("sim-latency", ModelProviders.Sim, Behaviour: SimModel.Expert, LatencyMs: latencyMs, Limits: ModelLimits.Default with { Concurrency = concurrency })],
            [PromptLibrary.Plain],
            experiments,
            new RepairSettings(0),
            new RunSettings("tiny", [1], [1], 1, 60, 120) { MaxPairs = 1, Warmups = 0, Expert = false },
            // The orchestration is measured, not the checks or the timing protocol: one build and one timed pair per
            // experiment (the paired protocol's repeats until its interval is tight would measure the machine's noise).
            Verify: new VerifySettings([], Amplify: false));

        var dispatch = new List<double>();
        double timingSeconds = 0, otherSeconds = 0;
        long transitions = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == TelemetryNames.Meter && instrument.Name is "kernelsmith.job.dispatch_latency" or "kernelsmith.job.wall" or "kernelsmith.experiment.transitions")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            lock (dispatch)
            {
                if (instrument.Name == "kernelsmith.job.dispatch_latency")
                {
                    dispatch.Add(value);
                }
                else if (IsRun(tags))
                {
                    timingSeconds += value;
                }
                else
                {
                    otherSeconds += value;
                }
            }
        });
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref transitions, value));
        listener.Start();

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            // Live objects only: a full collection at each sample, so garbage not yet collected does not count.
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                await Task.Delay(500, CancellationToken.None);
            }
        }, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        var records = await SweepRunner.RunAsync(spec, [definition], new ResultsDirectory(Path.Combine(work, "results")), cancellationToken);
        var makespan = clock.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;

        var modelBound = experiments * (latencyMs / 1000.0) / concurrency;
        // Timing runs own the agent's node (Agent:TimingRunsOwnTheNode), so they add up in full; builds share the cores.
        var computeBound = timingSeconds + otherSeconds / Environment.ProcessorCount;
        var lowerBound = Math.Max(modelBound, computeBound);
        dispatch.Sort();
        var figures = new Dictionary<string, double?>
        {
            ["experiments"] = experiments,
            ["correct"] = records.Count(r => r.Verdict == Contracts.Experiments.Verdict.Correct),
            ["makespan_s"] = makespan,
            ["model_bound_s"] = modelBound,
            ["compute_bound_s"] = computeBound,
            ["lower_bound_s"] = lowerBound,
            ["two_phase_sum_s"] = modelBound + computeBound,
            ["makespan_over_lower_bound"] = makespan / lowerBound,
            ["overhead_per_experiment_ms"] = (makespan - lowerBound) / experiments * 1000,
            ["dispatch_p50_ms"] = Percentile(dispatch, 0.50) * 1000,
            ["dispatch_p99_ms"] = Percentile(dispatch, 0.99) * 1000,
            ["jobs"] = dispatch.Count,
            ["transitions_per_s"] = transitions / makespan,
            ["live_memory_per_10k_experiments_mib"] = Math.Max(0, peak - baseline) * 10_000.0 / experiments / (1 << 20),
        };
        // A figure with nothing to measure (no job dispatched: no percentile) is null, as JSON has no NaN.
        foreach (var name in figures.Keys.Where(name => figures[name] is { } value && !double.IsFinite(value)).ToList())
        {
            figures[name] = null;
        }

        await File.WriteAllTextAsync(Path.Combine(work, "bench.json"), JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        if (json)
        {
            CliOutput.WriteJson(figures);
        }
        else
        {
            CliOutput.WriteTable(["figure", "value"], figures.Select(f => (IReadOnlyList<string>)[f.Key, f.Value is { } value ? value.ToString(value % 1 == 0 ? "F0" : "F3", CultureInfo.InvariantCulture) : ""]));
        }

        CliOutput.Progress.MarkupLine($"[grey]Simulated model (sim expert with {latencyMs} ms latency, concurrency {concurrency}); compute-bound = timing runs in full (they own the node) + other jobs / {Environment.ProcessorCount} cores, as the agent measured them. {Markup.Escape(Path.Combine(work, "bench.json"))}[/]");
        return 0;
    }

    private static bool IsRun(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "kernelsmith.job.kind" && tag.Value as string == "run")
            {
                return true;
            }
        }

        return false;
    }

    private static double Percentile(IReadOnlyList<double> sorted, double quantile) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];
}
