using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Cli.Tests.Security;

/// <summary>
/// The public sweep API of a silo started with a cluster token, as a separate process with Redis: nobody without a
/// token gets anything, and a sweep is stopped or resumed only by who submitted it, or an admin.
/// </summary>
[Trait("Category", "Security")]
public sealed class SweepApiAuthTests(SecureSiloFixture silo) : IClassFixture<SecureSiloFixture>
{
    public static TheoryData<string?> Strangers => new() { null, "guess", "Bearer" };

    [Theory]
    [MemberData(nameof(Strangers))]
    public async Task EveryCall_WithoutAValidToken_IsUnauthenticated(string? token)
    {
        var stranger = silo.Client(null, token);
        var submit = new SubmitRequest { SpecName = "x.yaml", SpecYaml = await File.ReadAllTextAsync(await silo.SpecAsync("stranger")) };
        submit.Files.AddRange(SecureSiloFixture.GemmFiles());
        var sweep = new SweepRef { SweepId = "stranger-00000000" };
        var calls = new Dictionary<string, Func<Task>>
        {
            ["Submit"] = () => stranger.SubmitAsync(submit).ResponseAsync,
            ["Watch"] = () => FirstAsync(stranger.Watch(new WatchRequest { SweepId = sweep.SweepId }).ResponseStream),
            ["Status"] = () => stranger.StatusAsync(sweep).ResponseAsync,
            ["Cancel"] = () => stranger.CancelAsync(sweep).ResponseAsync,
            ["Resume"] = () => stranger.ResumeAsync(sweep).ResponseAsync,
            ["Results"] = () => FirstAsync(stranger.Results(new WatchRequest { SweepId = sweep.SweepId }).ResponseStream),
            ["ListAgents"] = () => stranger.ListAgentsAsync(new ListAgentsRequest()).ResponseAsync,
            ["Calibrate"] = () => stranger.CalibrateAsync(new CalibrateRequest()).ResponseAsync,
        };

        foreach (var (name, call) in calls)
        {
            var refused = await Assert.ThrowsAsync<RpcException>(call);
            Assert.True(refused.StatusCode == StatusCode.Unauthenticated, $"{name}: {refused.StatusCode} {refused.Status.Detail}");
        }

        // The same submission with a user's token is accepted: the refusals above were about the token alone.
        var accepted = await silo.Client("alice").SubmitAsync(submit);
        Assert.Equal(1, accepted.Experiments);
    }

    [Fact]
    public async Task Cli_WithoutAToken_SaysHowToGiveOne()
    {
        var (exit, _, stderr) = await CommandLineTests.KernelsmithAsync("agents", "--cluster", silo.SiloUrl);

        Assert.Equal(2, exit);
        Assert.Contains("--token-file or set KERNELSMITH_TOKEN", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelAndResume_OnlyBySubmitterOrAdmin()
    {
        var spec = await silo.SpecAsync("owned");
        var submitted = await Cli("alice", "submit", spec, "--kernels", Repository.Kernels);
        var sweepId = submitted.Stdout.Trim().Split('\n')[^1].Trim();

        var status = await Cli("bob", "status", sweepId);
        var bobCancels = await Cli("bob", "cancel", sweepId);
        var stillRunning = await silo.Client("ops").StatusAsync(new SweepRef { SweepId = sweepId });
        var aliceCancels = await Cli("alice", "cancel", sweepId);
        var bobResumes = await Cli("bob", "resume", sweepId);
        var opsResumes = await Cli("ops", "resume", sweepId);
        var operatorCancels = await Cli("cluster", "cancel", sweepId);

        Assert.Equal(0, submitted.Exit);
        Assert.Contains("submitted by alice", status.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, bobCancels.Exit);
        Assert.Contains($"sweep '{sweepId}' was submitted by alice: only that user or an admin may cancel it", bobCancels.Stderr, StringComparison.Ordinal);
        Assert.False(stillRunning.Cancelled);
        Assert.Equal(0, aliceCancels.Exit);
        Assert.Contains("cancelled", aliceCancels.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, bobResumes.Exit);
        Assert.Contains("may resume it", bobResumes.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, opsResumes.Exit);
        Assert.DoesNotContain("cancelled", opsResumes.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, operatorCancels.Exit);
        Assert.Contains("cancelled", operatorCancels.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitStatusAgents_ForScripts_IdAloneOnStdoutAndJsonThatParses()
    {
        var spec = await silo.SpecAsync("scripted");

        var submitted = await Cli("alice", "submit", spec, "--kernels", Repository.Kernels);
        var sweepId = submitted.Stdout.Trim();
        var status = await Cli("alice", "status", sweepId, "--json");
        var agents = await Cli("alice", "agents", "--json");

        // id=$(kernelsmith submit ...) takes the id and nothing else; the note goes to stderr.
        Assert.True(submitted.Exit == 0, submitted.Stderr);
        Assert.DoesNotContain('\n', sweepId);
        Assert.DoesNotContain(' ', sweepId);
        Assert.Contains($"submitted {sweepId}", submitted.Stderr, StringComparison.Ordinal);
        Assert.True(status.Exit == 0, status.Stderr);
        var parsed = JsonDocument.Parse(status.Stdout).RootElement;
        Assert.Equal(sweepId, parsed.GetProperty("sweep_id").GetString());
        Assert.Equal(1, parsed.GetProperty("total").GetInt32());
        Assert.Equal("alice", parsed.GetProperty("submitted_by").GetString());
        Assert.True(agents.Exit == 0, agents.Stderr);
        Assert.All(MachineReadableOutputTests.Lines(agents.Stdout), line => Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(line).RootElement.GetProperty("agent_id").GetString())));
    }

    [Fact]
    public async Task Resubmission_BySomeoneElse_JoinsTheSweepWithoutTakingItOver()
    {
        var spec = await silo.SpecAsync("shared");
        var first = await Cli("alice", "submit", spec, "--kernels", Repository.Kernels);
        var second = await Cli("bob", "submit", spec, "--kernels", Repository.Kernels);
        var sweepId = first.Stdout.Trim().Split('\n')[^1].Trim();

        var bobCancels = await Cli("bob", "cancel", sweepId);

        Assert.Equal(sweepId, second.Stdout.Trim().Split('\n')[^1].Trim());
        Assert.Equal(2, bobCancels.Exit);
        Assert.Equal("alice", (await silo.Client("bob").StatusAsync(new SweepRef { SweepId = sweepId })).SubmittedBy);
    }

    [Fact]
    public async Task PreparedSubmissionAndCalibration_ByAUser_AreRefusedAsAnAdminsOnly()
    {
        // What kernelsmith run sends its embedded silo: a sweep it validated itself, so no user may send one.
        var garbage = Google.Protobuf.ByteString.CopyFromUtf8("not a prepared sweep");

        var submit = await Assert.ThrowsAsync<RpcException>(async () => await silo.Client("alice").SubmitAsync(new SubmitRequest { Prepared = garbage }));
        var calibrate = await Assert.ThrowsAsync<RpcException>(async () => await silo.Client("alice").CalibrateAsync(new CalibrateRequest { Order = garbage }));
        var garbled = await Assert.ThrowsAsync<RpcException>(async () => await silo.Client("ops").SubmitAsync(new SubmitRequest { Prepared = garbage }));

        Assert.Equal(StatusCode.PermissionDenied, submit.StatusCode);
        Assert.Contains("only an admin (the cluster token) may submit a prepared sweep", submit.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.PermissionDenied, calibrate.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, garbled.StatusCode);
        Assert.Contains("holds no PreparedSweep", garbled.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentRegistry_RefusesAUsersToken()
    {
        using var channel = GrpcChannel.ForAddress(silo.SiloUrl);
        var registry = new AgentRegistry.AgentRegistryClient(channel);
        var intruder = new AgentRegistration { AgentId = "intruder", Pool = "x", Address = "http://127.0.0.1:9" };

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await registry.RegisterAsync(intruder, new Metadata { { "authorization", $"Bearer {silo.Tokens["alice"]}" } }));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        var agents = await silo.Client("alice").ListAgentsAsync(new ListAgentsRequest());
        Assert.DoesNotContain(agents.Agents, a => a.AgentId == "intruder");
    }

    private Task<(int Exit, string Stdout, string Stderr)> Cli(string who, params string[] args) =>
        CommandLineTests.KernelsmithAsync([.. args, "--cluster", silo.SiloUrl, "--token-file", silo.TokenFile(who)]);

    private static async Task FirstAsync<T>(IAsyncStreamReader<T> stream) => await stream.MoveNext(CancellationToken.None);
}
