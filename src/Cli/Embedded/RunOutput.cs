using Kernelsmith.Cli.Commands;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Embedded;

/// <summary>
/// What <c>run --out DIR</c> finds in DIR, checked before the first experiment: a directory it can write, and the records
/// an interrupted run left there, kept and continued with <c>--resume</c> (the same sweep only), never overwritten.
/// </summary>
internal static class RunOutput
{
    public static (ResultsDirectory Results, IReadOnlyList<ExperimentRecord> Kept) Open(string path, string sweepId, bool resume)
    {
        var results = Writable(Path.GetFullPath(path));
        if (!HoldsResults(results))
        {
            return (results, []);
        }

        if (!resume)
        {
            throw new UserException(
                $"{results.Path} already holds results ({ResultsDirectory.JsonLines}); add --resume to continue that run, or choose another --out so nothing recorded is overwritten");
        }

        var kept = results.ReadRecords().DistinctBy(r => r.Experiment, StringComparer.Ordinal).ToList();
        if (kept.FirstOrDefault(r => r.Sweep != sweepId) is { } other)
        {
            throw new UserException(
                $"{results.Path} holds results of sweep '{other.Sweep}', not of this spec (sweep '{sweepId}'): the spec or its kernels changed since; --resume continues only the same sweep, so run the changed one with another --out");
        }

        return (results, kept);
    }

    /// <summary>Creates the directory and proves a file can be written in it, so a read-only --out costs no model call.</summary>
    private static ResultsDirectory Writable(string path)
    {
        try
        {
            var results = new ResultsDirectory(path);
            var probe = Path.Combine(results.Path, $".kernelsmith-write-check-{Guid.NewGuid():n}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return results;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new UserException($"--out {path}: cannot write there ({e.Message}); choose a writable directory");
        }
    }

    /// <summary>An empty results file holds nothing to protect; a link counts by what it points to (a test links /dev/full).</summary>
    private static bool HoldsResults(ResultsDirectory results)
    {
        var existing = new FileInfo(Path.Combine(results.Path, ResultsDirectory.JsonLines));
        var target = existing.LinkTarget is null ? existing : existing.ResolveLinkTarget(returnFinalTarget: true);
        return target is FileInfo { Exists: true, Length: > 0 };
    }
}
