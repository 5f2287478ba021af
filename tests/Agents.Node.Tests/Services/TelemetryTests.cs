using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Tests.Services;

/// <summary>While a job runs, its output and resource use stream back before the result.</summary>
[Collection(AgentCollection.Name)]
public sealed class TelemetryTests(AgentFixture fixture)
{
    private AgentHost Agent => fixture.Agent;

    [Fact]
    public async Task Run_BusyProgramHoldingMemory_StreamsOutputAndSamplesBeforeTheResult()
    {
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("telemetry"), 20_000);

        Assert.Equal(0, call.Result.ExitCode);
        var kinds = call.Updates.Select(u => u.UpdateCase).ToList();
        Assert.Equal(JobUpdate.UpdateOneofCase.Queued, kinds[0]);
        Assert.Equal(JobUpdate.UpdateOneofCase.Started, kinds[1]);
        Assert.Equal(JobUpdate.UpdateOneofCase.Result, kinds[^1]);
        // Output came in several pieces while the program ran, and all of it did.
        Assert.True(kinds.Count(k => k == JobUpdate.UpdateOneofCase.Output) >= 2, string.Join(",", kinds));
        Assert.Equal(call.Stdout, call.StreamedStdout);
        Assert.Equal(string.Concat(Enumerable.Range(0, 10).Select(i => $"tick {i}\n")), call.Stdout);
        var samples = call.Samples.ToList();
        Assert.True(samples.Count >= 2, $"{samples.Count} samples");
        Assert.Contains(samples, s => s.RssBytes >= 60L << 20);
        Assert.Contains(samples, s => s.CpuPercent >= 10);
        Assert.All(samples, s => Assert.InRange(s.Processes, 1, 8));
        Assert.True(call.Result.PeakRssBytes >= 60L << 20);
    }
}
