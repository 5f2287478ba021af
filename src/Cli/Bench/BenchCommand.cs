using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Kernelsmith.Cli.Commands;
using Kernelsmith.Cli.Embedded;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Contracts.Telemetry;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Sweeps;
using Kernelsmith.Results;
using Spectre.Console;

namespace Kernelsmith.Cli.Bench;

/// <summary>
/// <c>kernelsmith bench</c>: an embedded sweep of a simulated model with a fixed latency and concurrency over a no-op
/// kernel, measuring what the orchestration adds: makespan (from the sweep's submission to its last experiment's last
/// transition) against max(model-bound, compute-bound), overhead per experiment, dispatch latency, state transitions per
/// second, and live memory per 10,000 experiments counted from the started cluster. The silo's start (startup_s) and
/// the whole run with the report written (wall_s) are reported apart: fixed costs of a run, not of its sweep's size.
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
        var mix = new Option<string>("--job-mix")
        {
            Description = "noop: one build and one timed pair per experiment; realistic: what a default sweep runs (threads 1 and 2, "
                + "amplified runs, sanitizer builds and runs, the expert's timing)",
            DefaultValueFactory = _ => NoOpMix,
        }.AcceptOnlyFromAmong(NoOpMix, RealisticMix);
        var noProcesses = new Option<bool>("--no-processes")
        {
            Description = "Measure the orchestration only: every job is answered in the silo at once (agents are still chosen), no agent call, "
                + "no program started; fits 100,000 experiments in minutes",
        };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Where the sweep's results and bench.json go (default: a temporary folder)" };
        var dashboard = new Option<bool>("--dashboard")
        {
            Description = "Serve the web dashboard and keep a headless chromium (/usr/bin/chromium) on the sweep's page, holding its live stream, for the whole sweep",
        };
        var json = CliOutput.JsonOption();
        var command = new Command("bench", "Measure the orchestration: a simulated-latency sweep of a no-op kernel")
        {
            experiments, latency, concurrency, mix, noProcesses, output, dashboard, json,
        };
        command.SetAction((parse, ct) => RunAsync(
            new BenchSettings(parse.GetValue(experiments), parse.GetValue(latency), parse.GetValue(concurrency), parse.GetValue(mix)!, parse.GetValue(noProcesses))
            {
                Dashboard = parse.GetValue(dashboard),
            },
            parse.GetValue(output), parse.GetValue(json), ct));
        return command;
    }

    private const string NoOpMix = "noop";
    private const string RealisticMix = "realistic";

    private sealed record BenchSettings(int Experiments, int LatencyMs, int Concurrency, string JobMix, bool NoProcesses)
    {
        /// <summary>A browser watches the sweep's dashboard page throughout (what the dashboard costs the sweep).</summary>
        public bool Dashboard { get; init; }

        public string Mode => NoProcesses
            ? "orchestration only (--no-processes): jobs answered in the silo, no agent call, no program started"
            : "end to end: the embedded agent builds and runs every job over gRPC";
    }

    private static async Task<int> RunAsync(BenchSettings bench, DirectoryInfo? output, bool json, CancellationToken cancellationToken)
    {
        if (bench.Experiments < 1 || bench.LatencyMs < 0 || bench.Concurrency < 1)
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
        var spec = Spec(bench);

        var dispatch = new List<double>();
        var transit = new List<double>();
        var jobs = new Dictionary<string, int>(StringComparer.Ordinal);
        double timingSeconds = 0, otherSeconds = 0;
        long transitions = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == TelemetryNames.Meter
                    && instrument.Name is "kernelsmith.job.dispatch_latency" or "kernelsmith.job.transit" or "kernelsmith.job.wall" or "kernelsmith.experiment.transitions")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            lock (dispatch)
            {
                switch (instrument.Name)
                {
                    case "kernelsmith.job.dispatch_latency":
                        dispatch.Add(value);
                        break;
                    case "kernelsmith.job.transit":
                        transit.Add(value);
                        break;
                    default:
                        var kind = Kind(tags);
                        jobs[kind] = jobs.GetValueOrDefault(kind) + 1;
                        // A measurement holds every core of the node (Agent:TimingRunsOwnTheNode); builds and checking runs share them.
                        if (kind == "measure")
                        {
                            timingSeconds += value;
                        }
                        else
                        {
                            otherSeconds += value;
                        }

                        break;
                }
            }
        });
        // The sweep's last transition (its last experiment done) ends the makespan.
        var clock = new Stopwatch();
        long lastTransitionTicks = 0;
        listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            Interlocked.Add(ref transitions, value);
            Interlocked.Exchange(ref lastTransitionTicks, clock.Elapsed.Ticks);
        });
        listener.Start();

        var tally = new InstantJobRunner.Tally();
        Action<IServiceCollection>? siloServices = bench.NoProcesses
            ? services => services.AddSingleton<IJobRunner>(sp => new InstantJobRunner(sp.GetRequiredService<JobDispatcher>(), tally))
            : null;
        // The silo's start and the report's writing are fixed costs of a run, not of its sweep: they are reported apart
        // (startup_s, wall_s), and memory is counted from the started cluster, so a small sweep's figures are not its start-up's.
        long baseline = 0, peak = 0;
        var started = TimeSpan.Zero;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.CompletedTask;
        void BeforeSubmit()
        {
            peak = baseline = GC.GetTotalMemory(forceFullCollection: true);
            started = clock.Elapsed;
            sampler = Task.Run(async () =>
            {
                // Live objects only: a full collection at each sample, so garbage not yet collected does not count.
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                    // Not more often: each sample is a full blocking collection, which would slow what is measured.
                    await Task.Delay(2000, CancellationToken.None);
                }
            }, CancellationToken.None);
        }

        await using var browser = bench.Dashboard ? new WatchingBrowser(Path.Combine(work, "chromium")) : null;
        var watched = browser is null ? null : new EmbeddedDashboard(0)
        {
            OnOpened = url => browser.Open($"{url}&returnUrl=/sweeps/{Uri.EscapeDataString(SweepIds.For(spec, [definition]))}"),
            AfterSweep = (_, _) => Task.CompletedTask,
        };
        clock.Start();
        var records = await SweepRunner.RunAsync(spec, [definition], new ResultsDirectory(Path.Combine(work, "results")), cancellationToken, siloServices: siloServices,
            dashboard: watched, beforeSubmit: BeforeSubmit);
        var wall = clock.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        // From the sweep's submission to its last experiment's last transition.
        var makespan = (TimeSpan.FromTicks(Interlocked.Read(ref lastTransitionTicks)) - started).TotalSeconds;

        if (bench.NoProcesses)
        {
            jobs = tally.Jobs.ToDictionary(StringComparer.Ordinal);
            dispatch = [.. tally.SelectSeconds];
        }

        var modelBound = bench.Experiments * (bench.LatencyMs / 1000.0) / bench.Concurrency;
        var computeBound = timingSeconds + otherSeconds / Environment.ProcessorCount;
        var lowerBound = Math.Max(modelBound, computeBound);
        dispatch.Sort();
        transit.Sort();
        var jobCount = jobs.Values.Sum();
        var figures = new Dictionary<string, double>
        {
            ["experiments"] = bench.Experiments,
            ["dashboard_watched"] = bench.Dashboard ? 1 : 0,
            ["recorded"] = records.Count,
            ["correct"] = records.Count(r => r.Verdict == Contracts.Experiments.Verdict.Correct),
            ["startup_s"] = started.TotalSeconds,
            ["makespan_s"] = makespan,
            ["wall_s"] = wall,
            ["model_bound_s"] = modelBound,
            ["compute_bound_s"] = computeBound,
            ["lower_bound_s"] = lowerBound,
            ["experiments_per_s"] = records.Count / makespan,
            ["makespan_over_lower_bound"] = makespan / lowerBound,
            ["overhead_per_experiment_ms"] = (makespan - lowerBound) / bench.Experiments * 1000,
            ["jobs"] = jobCount,
            ["jobs_per_experiment"] = (double)jobCount / bench.Experiments,
        };
        foreach (var (kind, count) in jobs.OrderBy(j => j.Key, StringComparer.Ordinal))
        {
            figures[$"jobs_{kind}"] = count;
        }

        if (bench.NoProcesses)
        {
            // Without an agent call, dispatching a job is choosing its agent.
            figures["agent_choice_p50_ms"] = Percentile(dispatch, 0.50) * 1000;
            figures["agent_choice_p99_ms"] = Percentile(dispatch, 0.99) * 1000;
        }
        else
        {
            figures["dispatch_p50_ms"] = Percentile(dispatch, 0.50) * 1000;
            figures["dispatch_p99_ms"] = Percentile(dispatch, 0.99) * 1000;
            figures["transit_p50_ms"] = Percentile(transit, 0.50) * 1000;
            figures["transit_p99_ms"] = Percentile(transit, 0.99) * 1000;
        }

        figures["transitions_per_s"] = transitions / makespan;
        figures["peak_live_memory_mib"] = Math.Max(0, peak - baseline) / (double)(1 << 20);
        figures["live_memory_per_10k_experiments_mib"] = Math.Max(0, peak - baseline) * 10_000.0 / bench.Experiments / (1 << 20);
        // A ratio to a zero bound (no latency, no processes) or a percentile of no samples is left out, not written as NaN.
        var result = new BenchResult(bench.Mode, bench.JobMix, bench.LatencyMs, bench.Concurrency, Environment.ProcessorCount,
            figures.Where(f => double.IsFinite(f.Value)).ToDictionary(StringComparer.Ordinal));
        var file = Path.Combine(work, "bench.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(result, new JsonSerializerOptions(CliOutput.Json) { WriteIndented = true }), cancellationToken);

        if (json)
        {
            CliOutput.WriteJson(result);
        }
        else
        {
            CliOutput.WriteTable(["figure", "value"], result.Figures.Select(f => (IReadOnlyList<string>)[f.Key, f.Value.ToString(f.Value % 1 == 0 ? "F0" : "F3", CultureInfo.InvariantCulture)]));
        }

        CliOutput.Progress.MarkupLine(Markup.Escape(
            $"{result.Mode}. Simulated model (sim expert, {bench.LatencyMs} ms latency, concurrency {bench.Concurrency}), job mix {bench.JobMix}; "
            + $"compute bound = measurements in full (they own the node) + other jobs / {Environment.ProcessorCount} cores, as the agent timed them. {file}"));
        return 0;
    }

    /// <summary>The bench's sweep: the orchestration is measured, not the checks' programs or the machine's noise.</summary>
    private static SweepSpec Spec(BenchSettings bench)
    {
        var model = new ModelSpec("sim-latency", ModelProviders.Sim, Behaviour: SimModel.Expert, LatencyMs: bench.LatencyMs,
            Limits: ModelLimits.Default with { Concurrency = bench.Concurrency });
        // noop: one build and one timed pair per experiment. realistic: what a default sweep runs (two thread counts,
        // amplified runs, sanitizer builds and runs, the expert's timing), with one pair per speedup: repeating pairs until
        // an interval is tight would measure this machine's noise, not the orchestration.
        var (threads, verify, expert) = bench.JobMix == RealisticMix
            ? ((IReadOnlyList<int>)[1, 2], VerifySettings.Default, true)
            : ([1], new VerifySettings([], Amplify: false), false);
        return new SweepSpec(
            "bench", ["noop"], [Technologies.OpenMp], [model], [PromptLibrary.Plain], bench.Experiments, new RepairSettings(0),
            new RunSettings("tiny", threads, [1], 1, 60, 120) { MaxPairs = 1, Warmups = 0, Expert = expert },
            Verify: verify);
    }

    /// <summary>What <c>bench --json</c> prints and bench.json holds: how it was measured, then the figures.</summary>
    private sealed record BenchResult(string Mode, string JobMix, int LatencyMs, int Concurrency, int Cores, IReadOnlyDictionary<string, double> Figures);

    private static string Kind(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "kernelsmith.job.kind")
            {
                return tag.Value as string ?? "";
            }
        }

        return "";
    }

    private static double Percentile(IReadOnlyList<double> sorted, double quantile) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];
}
