using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Tests.Execution;

/// <summary>
/// Programs that try to hurt the machine or the agent, run through the real sandbox. Each asserts the verdict the
/// agent gives, that nothing of the job outlives it, and that the agent still serves a normal job afterwards.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class HostileProgramTests(AgentFixture fixture)
{
    private AgentHost Agent => fixture.Agent;

    [Fact]
    public async Task Run_ForkBomb_StopsAtProcessLimitAndTimesOut()
    {
        var marker = Marker();
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("fork_bomb"), 2_000, marker);

        Assert.Equal(JobResult.Types.Status.TimedOut, call.Result.Status);
        Assert.Contains("fork refused: Resource temporarily unavailable", call.Stdout);
        // The limit counts threads and processes inside the sandbox; bwrap's two processes sit outside it.
        Assert.InRange(call.Result.PeakProcesses, 16, 128 + 2);
        await AssertGoneAsync(marker);
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_InfiniteLoop_IsKilledAtWallClockLimit()
    {
        var marker = Marker();
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("spin"), 1_500, marker);

        Assert.Equal(JobResult.Types.Status.TimedOut, call.Result.Status);
        Assert.Equal("timed out after 1.5 s: the whole process tree was killed", call.Result.Message);
        Assert.InRange(call.Result.WallSeconds, 1.5, 5);
        await AssertGoneAsync(marker);
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_InfiniteLoopWithTimeToSpare_IsKilledAtCpuLimit()
    {
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("spin"), 30_000);

        Assert.Equal(JobResult.Types.Status.KilledByLimit, call.Result.Status);
        Assert.Equal("cpu", call.Result.Limit);
        Assert.Equal("killed: CPU time limit 3 s", call.Result.Message);
        Assert.Equal(24, call.Result.Signal);
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_InfiniteLoopAtTwoThreads_GetsCpuTimeForEachThread()
    {
        var job = AgentHost.Job(await Agent.BuildProgramAsync("spin"), 4_000);
        job.Threads = 2;

        var call = await Agent.RunAsync(job);

        // 3 CPU seconds per thread: at two threads the 4 s wall-clock limit comes first.
        Assert.Equal(JobResult.Types.Status.TimedOut, call.Result.Status);
        Assert.Equal("", call.Result.Limit);
    }

    [Fact]
    public async Task Run_MemoryBomb_IsKilledAtMemoryLimit()
    {
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("memory_bomb"), 20_000);

        Assert.Equal(JobResult.Types.Status.KilledByLimit, call.Result.Status);
        Assert.Equal("memory", call.Result.Limit);
        Assert.Equal("killed: memory limit 256 MiB", call.Result.Message);
        Assert.True(call.Result.PeakRssBytes > 256L << 20, $"peak {call.Result.PeakRssBytes} bytes");
        Assert.NotEqual(0, call.Result.Signal);
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_OneGrowingFile_IsKilledAtFileSizeLimit()
    {
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("file_filler"), 20_000);

        Assert.Equal(JobResult.Types.Status.KilledByLimit, call.Result.Status);
        Assert.Equal("file_size", call.Result.Limit);
        Assert.Equal("killed: file size limit 64 MiB", call.Result.Message);
        Assert.Equal(25, call.Result.Signal);
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_ManyFilesFillingTheWorkDirectory_IsKilledAtDiskLimit()
    {
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("disk_filler"), 20_000);

        Assert.Equal(JobResult.Types.Status.KilledByLimit, call.Result.Status);
        Assert.Equal("disk", call.Result.Limit);
        Assert.Equal("killed: disk limit 128 MiB in the work directory", call.Result.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Agent.WorkRoot, "jobs")));
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_EndlessStdout_IsCutAtOutputLimitAndKilled()
    {
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("huge_stdout"), 20_000);

        Assert.Equal(JobResult.Types.Status.KilledByLimit, call.Result.Status);
        Assert.Equal("output", call.Result.Limit);
        Assert.True(call.Result.StdoutTruncated);
        Assert.Equal(256 << 10, call.Result.Stdout.Length);
        Assert.StartsWith("line 0 of a program", call.Stdout);
        // Live output is bounded separately from what the result keeps.
        Assert.InRange(call.StreamedStdout.Length, 1, 64 << 10);
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_NetworkConnections_AllFail()
    {
        // The agent's own port answers on the host's loopback: the test's client is connected to it right now.
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("network"), 10_000, Agent.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(0, call.Result.ExitCode);
        Assert.Contains($"connect 127.0.0.1:{Agent.Port} failed: Connection refused", call.Stdout);
        Assert.Contains("connect 1.1.1.1:53 failed: Network is unreachable", call.Stdout);
        Assert.DoesNotContain("connected", call.Stdout);
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_WritesOutsideWorkDirectory_AllFailAndWorkDirectoryStaysWritable()
    {
        var hostDirectory = Directory.CreateTempSubdirectory("kernelsmith-canary-").FullName;
        try
        {
            var job = AgentHost.Job(await Agent.BuildProgramAsync("write_outside"), 10_000, "/", "/usr", "/etc", "/sys", "/proc", "..", hostDirectory, Agent.WorkRoot);
            job.OutputFiles.Add("inside.txt");
            var call = await Agent.RunAsync(job);

            Assert.Equal(0, call.Result.ExitCode);
            Assert.DoesNotContain("wrote ", call.Stdout);
            Assert.Equal(8, call.Stdout.Split('\n').Count(l => l.StartsWith("write ", StringComparison.Ordinal) && l.Contains(" failed: ", StringComparison.Ordinal)));
            Assert.Equal("written inside\n", Assert.Single(call.Result.OutputFiles).Content.ToStringUtf8());
            Assert.Empty(Directory.EnumerateFileSystemEntries(hostDirectory));
            Assert.False(File.Exists("/kernelsmith-escape.txt"));
            Assert.False(File.Exists(Path.Combine(Agent.WorkRoot, "kernelsmith-escape.txt")));
        }
        finally
        {
            Directory.Delete(hostDirectory, recursive: true);
        }

        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_ReadingEnvironments_NeverSeesTheAgentsSecret()
    {
        Assert.Equal(fixture.Secret, Environment.GetEnvironmentVariable(AgentFixture.SecretVariable));
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("secrets"), 10_000);

        Assert.Equal(0, call.Result.ExitCode);
        // It did read environments: its own, and those of the processes it can see.
        Assert.Contains("env PATH=", call.Stdout);
        Assert.Contains("/proc/self/environ:", call.Stdout);
        Assert.DoesNotContain(fixture.Secret, call.Stdout);
        Assert.DoesNotContain(AgentFixture.SecretVariable, call.Stdout);
        Assert.DoesNotContain(fixture.Secret, call.StreamedStdout);
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_KillingItsParentAndTheAgent_HurtsNeither()
    {
        var call = await Agent.RunAsync(
            await Agent.BuildProgramAsync("kill_parent"), 10_000, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(JobResult.Types.Status.Exited, call.Result.Status);
        Assert.Equal(0, call.Result.ExitCode);
        Assert.Contains("still here", call.Stdout);
        Assert.Contains($"kill agent ({Environment.ProcessId}): No such process", call.Stdout);
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_OrphanedChildren_AreGoneWhenTheJobEnds()
    {
        var marker = Marker();
        var seenWhileRunning = 0;
        var call = await AgentHost.CallAsync(Agent.Client.Run(AgentHost.Job(await Agent.BuildProgramAsync("orphans"), 10_000, marker)), update =>
        {
            if (update.UpdateCase == JobUpdate.UpdateOneofCase.Output && update.Output.Data.ToStringUtf8().Contains("children left behind", StringComparison.Ordinal))
            {
                seenWhileRunning = AgentHost.ProcessesMarked(marker).Count;
            }

            return Task.CompletedTask;
        });

        Assert.Equal(0, call.Result.ExitCode);
        // The parent and its three detached grandchildren were alive while it ran...
        Assert.True(seenWhileRunning >= 4, $"saw {seenWhileRunning} marked processes while the job ran");
        // ...and nothing of the job outlives it.
        await AssertGoneAsync(marker);
        await Agent.AssertServesNormalJobAsync();
    }

    [Theory]
    [InlineData("/tmp")]
    [InlineData("/dev/shm")]
    public async Task Run_FillingRamBackedScratch_IsKilledAtTheDiskLimit(string scratch)
    {
        // 256 MiB of memory, 128 MiB of disk: a tmpfs the size of the memory limit let this reach 256 MiB unnoticed.
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("scratch_filler"), 30_000, scratch);

        Assert.Equal(JobResult.Types.Status.KilledByLimit, call.Result.Status);
        Assert.Equal("disk", call.Result.Limit);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Agent.WorkRoot, "jobs")));
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_WideningItsOwnAffinity_StaysOnItsAllottedCore()
    {
        var job = AgentHost.Job(await Agent.BuildProgramAsync("widen_affinity"), 10_000);
        job.Exclusive = true;

        var call = await Agent.RunAsync(job);

        // sched_setaffinity may succeed (the kernel clamps it to the job's cpuset), but the program keeps one core.
        Assert.Equal(0, call.Result.ExitCode);
        Assert.Single(call.Result.Cores);
        Assert.Matches(@"^machine \d+ setaffinity -?\d allowed 1\n$", call.Stdout);
        await Agent.AssertServesNormalJobAsync();
    }

    private static string Marker() => $"ks-marker-{Guid.NewGuid():n}";

    /// <summary>No process of the job is left: the namespace went with it (allowing the kernel a moment to reap).</summary>
    internal static async Task AssertGoneAsync(string marker)
    {
        for (var attempt = 0; attempt < 20 && AgentHost.ProcessesMarked(marker).Count > 0; attempt++)
        {
            await Task.Delay(50);
        }

        Assert.Empty(AgentHost.ProcessesMarked(marker));
    }
}
