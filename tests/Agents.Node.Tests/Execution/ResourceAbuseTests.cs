using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Tests.Execution;

/// <summary>
/// Programs that hold on to what they were given or take more: daemons, signal-proof loops, descriptors, threads, floods
/// of errors. Each is stopped at its limit with a verdict saying which, leaves nothing behind, and the agent goes on.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class ResourceAbuseTests(AgentFixture fixture)
{
    private AgentHost Agent => fixture.Agent;

    [Fact]
    public async Task Run_DaemonIgnoringSigterm_IsGoneWhenTheJobEnds()
    {
        var marker = $"ks-marker-{Guid.NewGuid():n}";
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("daemon_ignoring_sigterm"), 10_000, marker);

        Assert.Equal(JobResult.Types.Status.Exited, call.Result.Status);
        Assert.Equal(0, call.Result.ExitCode);
        Assert.Contains("daemon alive", call.Stdout);
        await HostileProgramTests.AssertGoneAsync(marker);
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_IgnoringEverySignal_IsStillKilledAtTheWallClockLimit()
    {
        var marker = $"ks-marker-{Guid.NewGuid():n}";
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("sigterm_spinner"), 1_500, marker);

        Assert.Equal(JobResult.Types.Status.TimedOut, call.Result.Status);
        Assert.InRange(call.Result.WallSeconds, 1.5, 5);
        Assert.Contains("ignoring signals", call.Stdout);
        await HostileProgramTests.AssertGoneAsync(marker);
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_OpeningFilesWithoutEnd_StopsAtTheOpenFilesLimit()
    {
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("fd_exhaust"), 10_000);

        Assert.Equal(0, call.Result.ExitCode);
        var match = System.Text.RegularExpressions.Regex.Match(call.Stdout, @"^opened (\d+): Too many open files\n$");
        Assert.True(match.Success, call.Stdout);
        // 256 in the test limits, less the descriptors it started with.
        Assert.InRange(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 200, 256);
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_StartingThreadsWithoutEnd_StopsAtTheProcessLimit()
    {
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("thread_bomb"), 10_000);

        Assert.Equal(0, call.Result.ExitCode);
        var match = System.Text.RegularExpressions.Regex.Match(call.Stdout, @"^threads (\d+): Resource temporarily unavailable\n$");
        Assert.True(match.Success, call.Stdout);
        Assert.InRange(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 16, 128);
        // Sampled every 100 ms, a bomb this short may be over before a sample; never above the limit when seen.
        Assert.InRange(call.Result.PeakProcesses, 0, 128 + 2);
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_EndlessStderr_IsCutAtTheOutputLimitAndKilled()
    {
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("stderr_flood"), 20_000);

        Assert.Equal(JobResult.Types.Status.KilledByLimit, call.Result.Status);
        Assert.Equal("output", call.Result.Limit);
        Assert.True(call.Result.StderrTruncated);
        Assert.InRange(call.Result.Stderr.Length, 1, 256 << 10);
        Assert.StartsWith("error line 0 of a program", call.Result.Stderr.ToStringUtf8());
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_WaitingForInput_GetsEndOfFileAtOnce()
    {
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("stdin_reader"), 10_000);

        Assert.Equal(0, call.Result.ExitCode);
        Assert.Equal("stdin closed\n", call.Stdout);
        Assert.InRange(call.Result.WallSeconds, 0, 5);
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_EndlessRecursion_CrashesWithASegmentationFault()
    {
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("stack_overflow"), 10_000);

        Assert.Equal(11, call.Result.Signal);
        Assert.NotEqual(JobResult.Types.Status.TimedOut, call.Result.Status);
        Assert.Contains("recursing", call.Stdout);
        await Agent.AssertServesNormalJobAsync();
    }
}
