using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Results;
using Kernelsmith.Results.Reports;

namespace Kernelsmith.Cli.Tests.Reports;

/// <summary>
/// A results directory built in code and written with <see cref="ResultsDirectory.Append"/>: three models (one live,
/// two simulated) x two kernels x OpenMP (plus gemm x MPI for one model), three samples each, with ties, every
/// failure verdict, a sample found not parallel, an infra error, and repairs after one and two rounds of feedback.
/// The expected figures in the tests are worked out by hand from the speedups listed here.
/// </summary>
public sealed class ReportFixture : IAsyncLifetime
{
    public const string Alpha = "alpha";
    public const string Expert = "expert (simulated: sim expert)";
    public const string Mutant = "mutant (simulated: sim mutant)";

    /// <summary>The system turn every experiment's first round was given, as prompts/plain.md gives one.</summary>
    public const string SystemTurn = "You are an expert in high-performance computing.";

    /// <summary>The catalog's gemm version: the fixture's gemm records claim it, its heat2d records an older one.</summary>
    public static string GemmHash { get; } = KernelCatalog.Load([Repository.Kernels]).TryGet("gemm", out var gemm) ? gemm.ContentHash : throw new InvalidOperationException("no gemm");

    public static IReadOnlyList<ExperimentRecord> Records { get; } = Build();

    public string Folder { get; } = Directory.CreateTempSubdirectory("kernelsmith-report-").FullName;

    public ReportDocument Document { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var results = new ResultsDirectory(Folder);
        foreach (var record in Records)
        {
            results.Append(record);
        }

        Document = await SweepReport.WriteAsync(results, results.ReadRecords(), CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    private static List<ExperimentRecord> Build() =>
    [
        // gemm x OpenMP (sequential 1 s): alpha ties at 3.0; expert 4.0, 3.6, 4.0 (median 4.0).
        Record("gemm", Alpha, "openmp", 0, Verdict.Correct, Speedups(0.9, 1.7, 3.0)),
        Record("gemm", Alpha, "openmp", 1, Verdict.BuildError, rounds: 2, errors: [("build", "build_error"), ("build", "build_error")]),
        Record("gemm", Alpha, "openmp", 2, Verdict.Correct, Speedups(1.0, 1.9, 3.0), rounds: 2, errors: [("verify", "wrong_output")]),
        Record("gemm", Expert, "openmp", 0, Verdict.Correct, Speedups(1.0, 2.0, 4.0)),
        Record("gemm", Expert, "openmp", 1, Verdict.Correct, Speedups(1.0, 2.0, 3.6)),
        Record("gemm", Expert, "openmp", 2, Verdict.Correct, Speedups(1.0, 1.9, 4.0)),
        Record("gemm", Mutant, "openmp", 0, Verdict.WrongOutput, rounds: 2, errors: [("verify", "wrong_output"), ("verify", "wrong_output")]),
        Record("gemm", Mutant, "openmp", 1, Verdict.NotParallel, Speedups(1.0, 1.0, 1.0)) with { Parallel = false },
        Record("gemm", Mutant, "openmp", 2, Verdict.InfraError, errors: [("build", "infra_error")]),

        // heat2d x OpenMP (sequential 2 s): alpha's one correct sample is best at 2 threads (1.6), not at 4 (1.5).
        Record("heat2d", Alpha, "openmp", 0, Verdict.Timeout, errors: [("run", "timeout")]),
        Record("heat2d", Alpha, "openmp", 1, Verdict.Correct, Speedups(0.5, 1.6, 1.5)),
        Record("heat2d", Alpha, "openmp", 2, Verdict.RuntimeError, errors: [("run", "runtime_error")]),
        Record("heat2d", Expert, "openmp", 0, Verdict.Correct, Speedups(1.0, 1.8, 2.5)),
        Record("heat2d", Expert, "openmp", 1, Verdict.Correct, Speedups(1.0, 1.8, 2.5)),
        Record("heat2d", Expert, "openmp", 2, Verdict.Correct, Speedups(1.0, 1.8, 2.5)),
        Record("heat2d", Mutant, "openmp", 0, Verdict.Correct, Speedups(1.2, 2.2, 2.4), rounds: 3, errors: [("build", "build_error"), ("verify", "wrong_output")]),
        Record("heat2d", Mutant, "openmp", 1, Verdict.BuildError, errors: [("build", "build_error")]),
        Record("heat2d", Mutant, "openmp", 2, Verdict.NoCode, errors: [("extract", "no_code")]),

        // gemm x MPI, alpha only: no sim expert here, so the record's own expert_speedup (2.0) is the baseline.
        Record("gemm", Alpha, "mpi", 0, Verdict.Correct, [(1, 1.0), (2, 1.9)]) with { ExpertSpeedup = 2.0 },
        Record("gemm", Alpha, "mpi", 1, Verdict.Correct, [(1, 1.0), (2, 1.5)]) with { ExpertSpeedup = 2.0 },
        Record("gemm", Alpha, "mpi", 2, Verdict.WrongOutput, errors: [("verify", "wrong_output")]) with { ExpertSpeedup = 2.0 },
    ];

    private static (int Count, double Speedup)[] Speedups(double at1, double at2, double at4) => [(1, at1), (2, at2), (4, at4)];

    public static ExperimentRecord Record(
        string kernel, string model, string technology, int sample, Verdict verdict,
        (int Count, double Speedup)[]? speedups = null, int rounds = 1, (string Stage, string Category)[]? errors = null)
    {
        var sequential = kernel == "gemm" ? 1.0 : 2.0;
        var mpi = technology == "mpi";
        var runs = (speedups ?? []).Select(s => new RunMeasurement(mpi ? 1 : s.Count, mpi ? s.Count : 1, sequential / s.Speedup, 3,
            [sequential / s.Speedup, sequential / s.Speedup, sequential / s.Speedup], s.Speedup)).ToList();
        var best = verdict == Verdict.Correct && runs.Count > 0 ? runs.MaxBy(r => r.Speedup) : null;
        var id = model.Split(' ')[0];
        var simulated = model != Alpha;
        var parameters = simulated ? new Dictionary<string, string> { ["behaviour"] = id } : new Dictionary<string, string> { ["model"] = "alpha-1", ["temperature"] = "0.2" };
        var attempts = Enumerable.Range(0, rounds).Select(round => new Attempt(
            round,
            round == 0 ? $"Parallelise the following sequential C program with {technology}.\n\nFile `{kernel}.c`:\n```c\nint main(void) {{ return {kernel.Length}; }}\n```" : "Your program failed verification.",
            $"answer {round} of {id}",
            [new CodeFile($"{kernel}.c", $"int main(void)\n{{\n  int x = {round};\n  return 0;\n}}\n")],
            $"build log {round}",
            $"run log {round}",
            round == rounds - 1 ? verdict : Verdict.BuildError,
            round == rounds - 1 ? "" : $"feedback after round {round}") { System = round == 0 ? SystemTurn : "" }).ToList();
        return new ExperimentRecord(
            $"sweep-1/{kernel}/{technology}/{id}/plain/{sample}", "sweep-1", kernel, model, technology, "plain", sample, verdict,
            verdict == Verdict.Correct ? "" : $"{verdict.ToWireName()} in {kernel}",
            rounds, sequential, runs, best?.Speedup, best is null ? null : mpi ? best.Ranks : best.Threads,
            (errors ?? []).Select(e => new ErrorFinding(e.Stage, e.Category, $"{e.Category} message")).ToList(),
            new TokenUsage(100, 50),
            $"{kernel}{technology}{id}{sample}".PadRight(32, '0')[..32],
            new Provenance(simulated, simulated ? "sim" : "openai", parameters, $"ph-{kernel}-{technology}",
                kernel == "gemm" ? GemmHash : "an-older-heat2d", "small", "agent-1", "gcc 12.2", "2 x test cpu"),
            attempts)
        {
            CostUsd = simulated ? null : 0.01,
        };
    }
}
