using System.Globalization;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Tests.Execution;

/// <summary>
/// Programs that try to see, reach or take over what lies outside their job: the agent, other jobs, the reference's
/// files, the host. Each runs through the real sandbox and must find nothing, and the agent serves a normal job after.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class SandboxEscapeTests(AgentFixture fixture)
{
    private AgentHost Agent => fixture.Agent;

    [Fact]
    public async Task Run_PtraceOfTheAgent_CannotEvenSeeIt()
    {
        var agent = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("ptrace_attach"), 10_000, agent);

        Assert.Equal(0, call.Result.ExitCode);
        Assert.Contains($"attach given ({agent}) failed: No such process", call.Stdout);
        Assert.DoesNotContain("attached given", call.Stdout);
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_ReadingTheReferencesFiles_FindsNothingOutsideItsJob()
    {
        // What a program could copy its answer from: the reference's output beside the agent's files, its executable in
        // the artifact cache, other jobs' directories.
        var canary = Path.Combine(Agent.WorkRoot, "reference-output.txt");
        await File.WriteAllTextAsync(canary, "checksum 5.1428435000e+03\n");
        try
        {
            string[] paths = [canary, Agent.WorkRoot, Path.Combine(Agent.WorkRoot, "artifacts"), Path.Combine(Agent.WorkRoot, "jobs")];
            var call = await Agent.RunAsync(await Agent.BuildProgramAsync("reference_reader"), 10_000, paths);

            Assert.Equal(0, call.Result.ExitCode);
            Assert.All(paths, path => Assert.Contains($"open {path} failed: No such file or directory", call.Stdout));
            Assert.DoesNotContain("checksum", call.Stdout);
        }
        finally
        {
            File.Delete(canary);
        }

        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_ListingProcesses_SeesOnlyItsOwnJob()
    {
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("proc_snoop"), 10_000);

        Assert.Equal(0, call.Result.ExitCode);
        Assert.DoesNotContain("dotnet", call.Stdout);
        Assert.DoesNotContain("testhost", call.Stdout);
        var seen = int.Parse(Assert.Single(call.Stdout.Split('\n'), l => l.StartsWith("processes seen: ", StringComparison.Ordinal))["processes seen: ".Length..], CultureInfo.InvariantCulture);
        // Itself, and the namespace's init (GNU time, which records its CPU time) at most.
        Assert.InRange(seen, 1, 3);
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_SeekingPrivileges_FailsAtEachStep()
    {
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("privileges"), 10_000);

        Assert.Equal(0, call.Result.ExitCode);
        Assert.DoesNotContain("succeeded", call.Stdout);
        Assert.Equal(6, call.Stdout.Split('\n').Count(l => l.Contains(" failed: ", StringComparison.Ordinal)));
        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_OutputFilesLinkedOutside_AreNeverReadBackNorFollowedOnCleanup()
    {
        // A file only the agent's side can read: the sandbox does not even see it, but the agent would follow a link.
        var hostDirectory = Directory.CreateTempSubdirectory("kernelsmith-linked-").FullName;
        var secret = Path.Combine(hostDirectory, "secret.txt");
        await File.WriteAllTextAsync(secret, "the agent's secret\n");
        try
        {
            var job = AgentHost.Job(await Agent.BuildProgramAsync("output_links"), 10_000, secret);
            job.OutputFiles.Add("symlinked.txt");
            job.OutputFiles.Add("hardlinked.txt");
            var call = await Agent.RunAsync(job);

            Assert.Equal(0, call.Result.ExitCode);
            Assert.Contains("symlink made", call.Stdout);
            Assert.Empty(call.Result.OutputFiles);
            // Removing the job directory removed the links, not what they point to.
            Assert.Equal("the agent's secret\n", await File.ReadAllTextAsync(secret));
            Assert.True(File.Exists("/usr/bin/env"), "the job's cleanup followed its link to /");
        }
        finally
        {
            Directory.Delete(hostDirectory, recursive: true);
        }

        await Agent.AssertServesNormalJobAsync();
    }

    [Fact]
    public async Task Run_KillingEveryProcessItMay_KillsOnlyItself()
    {
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("kill_everyone"), 10_000);

        Assert.Contains("killing everyone", call.Stdout);
        Assert.Equal(9, call.Result.Signal);
        Assert.NotEqual(JobResult.Types.Status.TimedOut, call.Result.Status);
        await Agent.AssertServesNormalJobAsync();
    }
}
