using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Measurement;

/// <summary>
/// The measurement protocol, apart from how a run is done: warm-ups of every arm (discarded), then rounds of one run
/// per arm in a random order, until each candidate's speedup over the baseline (arm 0) has a 95 % interval within the
/// target precision, or the pair or time cap is reached. A run that fails ends the measurement with that run's result.
/// </summary>
public static class PairedMeasurement
{
    public const double DefaultPrecision = 0.03;
    public const int DefaultMaxPairs = 50;
    public const double DefaultMaxSeconds = 300;
    private static readonly TimeSpan s_patternTimeout = TimeSpan.FromSeconds(1);

    public static async Task<JobResult> RunAsync(MeasureJob job, Func<RunJob, CancellationToken, Task<JobResult>> run, CancellationToken cancellationToken)
    {
        var precision = job.Precision > 0 ? job.Precision : DefaultPrecision;
        // A cap below six pairs is a smoke test's choice: no 95 % interval, every speedup noisy, and it says so.
        var maxPairs = job.MaxPairs > 0 ? job.MaxPairs : DefaultMaxPairs;
        var minPairs = Math.Min(maxPairs, Math.Max(PairedSpeedup.MinimumPairs, job.MinPairs));
        var maxSeconds = job.MaxSeconds > 0 ? job.MaxSeconds : DefaultMaxSeconds;
        var pattern = string.IsNullOrEmpty(job.TimingPattern) ? null : new Regex(job.TimingPattern, RegexOptions.Multiline, s_patternTimeout);
        var random = new Random(unchecked((int)(job.Seed ^ (job.Seed >> 32))));
        var measurement = new MeasureResult { FailedArm = -1, Warmups = Math.Max(0, job.Warmups) };
        var clock = Stopwatch.StartNew();

        for (var warmup = 0; warmup < measurement.Warmups; warmup++)
        {
            for (var arm = 0; arm < job.Arms.Count; arm++)
            {
                var result = await run(job.Arms[arm], cancellationToken);
                if (Failed(result))
                {
                    return Failure(result, arm, measurement);
                }
            }
        }

        // Timing runs start after the warm-ups: the caps count only what is measured.
        clock.Restart();
        while (true)
        {
            var order = Enumerable.Range(0, job.Arms.Count).ToArray();
            random.Shuffle(order);
            for (var position = 0; position < order.Length; position++)
            {
                var arm = order[position];
                var result = await run(job.Arms[arm], cancellationToken);
                if (Failed(result))
                {
                    return Failure(result, arm, measurement);
                }

                measurement.Runs.Add(new MeasuredRun
                {
                    Arm = arm,
                    Round = measurement.Pairs,
                    Position = position,
                    WallSeconds = result.WallSeconds,
                    CpuSeconds = result.CpuSeconds,
                    KernelSeconds = KernelSeconds(pattern, result.Stdout.ToStringUtf8()),
                    Result = result,
                });
            }

            measurement.Pairs++;
            Summarise(measurement, job.Arms.Count, precision);
            measurement.Stopped = measurement.Pairs >= minPairs && measurement.Reached ? "precision"
                : measurement.Pairs >= maxPairs ? "max_pairs"
                : clock.Elapsed.TotalSeconds >= maxSeconds ? "max_seconds"
                : "";
            if (measurement.Stopped.Length > 0)
            {
                break;
            }
        }

        KeepFirstAndLastOutputs(measurement);
        return new JobResult
        {
            Status = JobResult.Types.Status.Exited,
            WallSeconds = clock.Elapsed.TotalSeconds,
            CpuSeconds = measurement.Runs.Sum(r => r.CpuSeconds),
            Measurement = measurement,
        };
    }

    /// <summary>The kernel time a program printed: the first group of the pattern's last match, in seconds; 0 when none.</summary>
    public static double KernelSeconds(Regex? pattern, string stdout)
    {
        if (pattern is null)
        {
            return 0;
        }

        try
        {
            var match = pattern.Matches(stdout).LastOrDefault(m => m.Groups.Count > 1);
            return match is not null && double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? seconds
                : 0;
        }
        catch (RegexMatchTimeoutException)
        {
            return 0;
        }
    }

    /// <summary>Recomputes every arm's summary from the runs so far; <see cref="MeasureResult.Reached"/> when all candidates are within precision.</summary>
    public static void Summarise(MeasureResult measurement, int arms, double precision)
    {
        measurement.Arms.Clear();
        var rounds = measurement.Runs.GroupBy(r => r.Round).Where(g => g.Count() == arms).Select(g => g.OrderBy(r => r.Arm).ToArray()).ToList();
        var baseline = rounds.Select(r => r[0]).ToList();
        var reached = true;
        for (var arm = 0; arm < arms; arm++)
        {
            var runs = rounds.Select(r => r[arm]).ToList();
            var wall = PairedSpeedup.Estimate(baseline.Select(r => r.WallSeconds).ToList(), runs.Select(r => r.WallSeconds).ToList());
            var summary = new ArmSummary
            {
                Arm = arm,
                Speedup = wall.Speedup,
                SpeedupLow = wall.Low,
                SpeedupHigh = wall.High,
                Cv = PairedSpeedup.CoefficientOfVariation(runs.Select(r => r.WallSeconds).ToList()),
                MedianSeconds = PairedSpeedup.Median(runs.Select(r => r.WallSeconds).ToList()),
                MedianCpuSeconds = PairedSpeedup.Median(runs.Select(r => r.CpuSeconds).ToList()),
                MedianKernelSeconds = PairedSpeedup.Median(runs.Select(r => r.KernelSeconds).ToList()),
            };
            // The program's own kernel time, when every run printed one, is what the precision is judged on.
            var judged = wall;
            if (runs.Count > 0 && rounds.All(r => r[0].KernelSeconds > 0 && r[arm].KernelSeconds > 0))
            {
                judged = PairedSpeedup.Estimate(baseline.Select(r => r.KernelSeconds).ToList(), runs.Select(r => r.KernelSeconds).ToList());
                summary.KernelSpeedup = judged.Speedup;
                summary.KernelSpeedupLow = judged.Low;
                summary.KernelSpeedupHigh = judged.High;
            }

            summary.Reached = arm == 0 || judged.Within(precision);
            reached &= summary.Reached;
            measurement.Arms.Add(summary);
        }

        measurement.Reached = reached;
    }

    private static bool Failed(JobResult result) =>
        result.Status != JobResult.Types.Status.Exited || result.ExitCode != 0 || result.Signal != 0;

    private static JobResult Failure(JobResult result, int arm, MeasureResult measurement)
    {
        measurement.FailedArm = arm;
        measurement.Stopped = "failed";
        KeepFirstAndLastOutputs(measurement);
        var failure = result.Clone();
        failure.Measurement = measurement;
        return failure;
    }

    /// <summary>Outputs are kept for the first and last timed run of each arm (enough to check them and their repeatability).</summary>
    private static void KeepFirstAndLastOutputs(MeasureResult measurement)
    {
        foreach (var arm in measurement.Runs.GroupBy(r => r.Arm))
        {
            var kept = new HashSet<MeasuredRun>([arm.First(), arm.Last()], ReferenceEqualityComparer.Instance);
            foreach (var run in arm.Where(r => !kept.Contains(r)))
            {
                run.Result = null;
            }
        }
    }
}
