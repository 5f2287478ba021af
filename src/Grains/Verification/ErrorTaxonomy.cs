using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Scheduling;

namespace Kernelsmith.Grains.Verification;

/// <summary>
/// What a build or a run did, as far as naming its errors goes: how it ended, what it printed, and the sandbox limit that
/// stopped it (<c>output</c>, <c>disk</c>, <c>file_size</c>, <c>memory</c>, <c>cpu</c>; empty when none) with the agent's message.
/// </summary>
public sealed record JobOutcome(bool TimedOut, int ExitCode, int Signal, string Log, string Limit = "", string LimitMessage = "")
{
    /// <summary>An agent's result: standard error first (compilers, sanitizers, MPI), then standard output (MPICH's banners).</summary>
    public static JobOutcome From(JobReport result) => new(
        result.Status == JobStatus.TimedOut,
        result.ExitCode,
        result.Signal,
        result.Stderr + "\n" + result.Stdout,
        result.Status == JobStatus.KilledByLimit ? result.Limit : "",
        result.Status == JobStatus.KilledByLimit ? result.Message : "");
}

/// <summary>
/// Names every error of a build, a run or a verification with a category from <see cref="ErrorCategories"/>,
/// keeping the raw message. Pure and total: any text gives findings (<c>other</c> when no rule knows it), never an exception.
/// </summary>
public static class ErrorTaxonomy
{
    /// <summary>
    /// Every distinct error diagnostic of a build log (compiler, then linker), in order, each with its raw line and notes;
    /// <c>build_timeout</c> when the compiler never finished; <c>other</c> with the log's tail when a failed build printed nothing known.
    /// </summary>
    public static IReadOnlyList<ErrorFinding> ClassifyBuild(JobOutcome build)
    {
        var findings = new FindingList(FindingStages.Build);
        BuildLogClassifier.Classify(build.Log, findings);
        if (build.TimedOut)
        {
            findings.Add(ErrorCategories.BuildTimeout, "the compiler did not finish within the time limit\n" + FindingList.Tail(build.Log), "timeout");
        }
        else if (findings.Count == 0 && (build.ExitCode != 0 || build.Signal != 0))
        {
            findings.Add(ErrorCategories.Other, $"the build failed (exit code {build.ExitCode}) with no diagnostic this taxonomy knows\n" + FindingList.Tail(build.Log), "unknown");
        }

        return findings.Findings;
    }

    /// <summary>
    /// The reports in a run's output (sanitizers, MPI libraries, glibc, CUDA), in order, then how the run ended when no report
    /// explains it: a timeout, a signal, or a non-zero exit code. An MPI run that times out is a deadlock or hang.
    /// </summary>
    public static IReadOnlyList<ErrorFinding> ClassifyRun(JobOutcome run, string technology, string stage = FindingStages.Run)
    {
        var findings = new FindingList(stage);
        RunLogClassifier.Classify(run, technology == Technologies.Mpi, findings);
        return findings.Findings;
    }

    /// <summary>
    /// The outputs of repeated runs of one configuration against the sequential reference: <c>nondeterministic_output</c>
    /// when the repetitions disagree with each other, <c>wrong_output</c> when one disagrees with the reference.
    /// </summary>
    public static IReadOnlyList<ErrorFinding> ClassifyOutputs(string reference, IReadOnlyList<string> repetitions, OutputComparison rule, string where)
    {
        var findings = new FindingList(FindingStages.Verify);
        var prefix = where.Length > 0 ? where + ": " : "";
        for (var i = 1; i < repetitions.Count; i++)
        {
            var repeat = OutputComparer.Compare(repetitions[0], repetitions[i], rule);
            if (!repeat.Matches)
            {
                findings.Add(ErrorCategories.NondeterministicOutput, $"{prefix}repetitions 1 and {i + 1} printed different results:\n{repeat.Detail}", "repeat");
                break;
            }
        }

        for (var i = 0; i < repetitions.Count; i++)
        {
            var comparison = OutputComparer.Compare(reference, repetitions[i], rule);
            if (!comparison.Matches)
            {
                findings.Add(ErrorCategories.WrongOutput, $"{prefix}the output differs from the sequential program's:\n{comparison.Detail}", "wrong");
                break;
            }
        }

        return findings.Findings;
    }

    /// <summary><c>not_parallel</c> when the code has nothing that makes it parallel; nothing otherwise.</summary>
    public static IReadOnlyList<ErrorFinding> ClassifyParallelism(ParallelismReport report) =>
        report.IsParallel ? [] : [new ErrorFinding(FindingStages.Verify, ErrorCategories.NotParallel, report.Reason)];
}
