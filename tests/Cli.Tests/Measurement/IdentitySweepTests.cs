using System.Diagnostics;
using Kernelsmith.Cli.Commands;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Tests.Measurement;

/// <summary>
/// The unchanged sequential program (sim identity) against the sequential reference: issue 13's check that the system
/// measures no speedup where there is none. On a quiet node every 1-thread speedup is within 0.97-1.03 with an
/// interval reaching to within 1 % of 1.0; on a loaded node a speedup may miss that, but then it must say it is noisy: never a confident wrong answer.
/// </summary>
[Collection(QuietNodeCollection.Name)]
public sealed class IdentitySweepTests
{
    [Fact]
    public async Task Run_IdentityOverFourKernelsAtInputSmall_NoConfidentSpeedupAwayFromOne()
    {
        var records = await RunAsync(Repository.TestData("identity.yaml"), text => text);

        Assert.Equal(4, records.Count);
        // The sequential program is right but not a port: its own verdict, its timings still recorded per configuration.
        Assert.All(records, r => Assert.Equal(Verdict.NotParallel, r.Verdict));
        Assert.All(records.SelectMany(r => r.Runs), run => Assert.False(run.Superlinear, $"superlinear at {run.Threads} thread(s): {run.Speedup}"));
        foreach (var (record, run) in records.SelectMany(r => r.Runs.Where(run => run.Threads == 1).Select(run => (r, run))))
        {
            var timing = run.Timing!;
            var described = $"{record.Kernel} at 1 thread: {timing.Speedup:F3} [{timing.SpeedupCi[0]:F3}, {timing.SpeedupCi[1]:F3}], {timing.Pairs} pairs, cv {timing.Cv:F3}, noisy {timing.Noisy}";
            Assert.True(timing.Pairs >= 6 || timing.Noisy, described);
            if (!timing.Noisy)
            {
                Assert.InRange(timing.Speedup, 0.97, 1.03);
                // Within 1 % of 1.0, not exactly around it: a 95 % interval misses the truth one time in twenty (four
                // intervals here), and the identity's own build may differ from the reference's by a fraction of a percent.
                Assert.True(timing.SpeedupCi[0] <= 1.01 && 0.99 <= timing.SpeedupCi[1], described);
                Assert.True(timing.SpeedupCi[1] / timing.Speedup <= 1.0 + 0.03 + 1e-9 && timing.Speedup / timing.SpeedupCi[0] <= 1.0 + 0.03 + 1e-9, described);
            }
        }
    }

    [Fact]
    public async Task Run_IdentityOnALoadedNode_IntervalsHoldOneOrAreMarkedNoisy()
    {
        // A busy loop on every core the agent times on: the runs slow down at random.
        var loops = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]))!).ToList();
        try
        {
            var records = await RunAsync(Repository.TestData("identity.yaml"), text => text
                .Replace("input: small", "input: tiny", StringComparison.Ordinal)
                .Replace("threads: [1, 2]", "threads: [1]\n  max_pairs: 12", StringComparison.Ordinal));

            Assert.Equal(4, records.Count);
            foreach (var timing in records.SelectMany(r => r.Runs).Select(r => r.Timing!))
            {
                Assert.True(timing.Noisy || timing.SpeedupCi[0] <= 1.0 && 1.0 <= timing.SpeedupCi[1],
                    $"a confident wrong answer: {timing.Speedup:F3} [{timing.SpeedupCi[0]:F3}, {timing.SpeedupCi[1]:F3}] after {timing.Pairs} pairs");
                Assert.Equal(timing.Pairs, timing.AllSeconds.Count);
                Assert.Equal(timing.Pairs, timing.AllSequentialSeconds.Count);
            }
        }
        finally
        {
            foreach (var loop in loops)
            {
                loop.Kill();
                loop.Dispose();
            }
        }
    }

    private static async Task<IReadOnlyList<ExperimentRecord>> RunAsync(string specPath, Func<string, string> edit)
    {
        var work = Directory.CreateTempSubdirectory("kernelsmith-identity-").FullName;
        var spec = Path.Combine(Path.GetDirectoryName(specPath)!, $"identity-{Guid.NewGuid():n}.yaml");
        await File.WriteAllTextAsync(spec, edit(await File.ReadAllTextAsync(specPath)));
        try
        {
            var exit = await RunCommand.RunAsync(new FileInfo(spec), new DirectoryInfo(work), [Repository.Kernels], CancellationToken.None);
            Assert.Equal(0, exit);
            return new ResultsDirectory(work).ReadRecords();
        }
        finally
        {
            File.Delete(spec);
        }
    }
}
