using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>The verdict of a run that did not exit cleanly: a hang, a program stopped at a limit, or a crash.</summary>
public static class RunFailures
{
    /// <summary>Errors an MPI library reports about a program's call: the program failed, whatever its launcher did next.</summary>
    private static readonly HashSet<string> s_mpiErrors =
    [
        ErrorCategories.MpiInvalidRank, ErrorCategories.MpiInvalidCommunicator, ErrorCategories.MpiInvalidCount,
        ErrorCategories.MpiTruncate, ErrorCategories.MpiError, ErrorCategories.MpiAbort,
    ];

    /// <summary>The failed round for a run that did not exit cleanly <paramref name="where"/>; null when it did.</summary>
    public static StepResult? Of(StageContext context, Round round, JobReport result, string where)
    {
        if (Jobs.Succeeded(result))
        {
            return null;
        }

        var timeout = context.Spec.Run.TimeoutSeconds;
        var log = Jobs.Log(result);
        round = round with { RunLog = log };
        var findings = ErrorTaxonomy.ClassifyRun(JobOutcome.From(result), context.Technology);
        var hung = result.Status == JobStatus.TimedOut || result is { Status: JobStatus.KilledByLimit, Limit: "cpu" };
        if (hung && findings.FirstOrDefault(f => s_mpiErrors.Contains(f.Category)) is { } mpiError)
        {
            // The program failed first: the MPI library reported its error, then its launcher never returned (Open MPI
            // 4.1 sometimes hangs in its abort path). The verdict is the program's error, not a hang of its own.
            return context.Fail(round, Verdict.RuntimeError, $"{where}: {mpiError.Category}; mpirun did not exit after the error and was killed at {timeout} s",
                RepairFeedback.MpiErrorThenHang(where, mpiError.Category, log), findings);
        }

        if (hung)
        {
            return context.Fail(round, Verdict.Timeout, $"{where}: no result within {timeout} s; the process tree was killed",
                RepairFeedback.TimedOut(where, timeout), findings);
        }

        if (result.Status == JobStatus.KilledByLimit)
        {
            return context.Fail(round, Verdict.RuntimeError, $"{where}: {result.Message}", RepairFeedback.RunStopped(where, result.Message, log), findings);
        }

        var how = result.Signal != 0 ? $"killed by signal {result.Signal}" : $"exit code {result.ExitCode}";
        return context.Fail(round, Verdict.RuntimeError, $"{where}: {how}", RepairFeedback.Crashed(where, how, log), findings);
    }
}
