using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>
/// Mistakes of configuration found before the first experiment, as a user of <c>kernelsmith run</c> meets them: one clear
/// error, exit code 2, nothing run, nothing recorded against a model.
/// </summary>
public sealed class PreflightTests
{
    private readonly string _work = Directory.CreateTempSubdirectory("kernelsmith-preflight-").FullName;

    /// <summary>What the last run printed (warnings among it).</summary>
    private string _stdout = "";

    [Fact]
    public async Task Run_ThreadCountNoAgentCanStart_IsRefusedBeforeAnyExperiment()
    {
        var (exit, output, stderr) = await RunAsync("""
            technologies: [openmp]
            models:
              - { id: expert, provider: sim, behaviour: expert }
            run: { input: tiny, threads: [1, 100000], max_pairs: 1, warmups: 0, expert: false }
            """);

        Assert.Equal(2, exit);
        Assert.Contains("the sweep was not started, nothing was run or charged: run.threads: 100000 exceed what any agent offering openmp lets a job start (at most ", stderr, StringComparison.Ordinal);
        AssertNothingRan(output);
    }

    [Fact]
    public async Task Run_TechnologyNoLiveAgentOffers_IsRefusedBeforeAnyExperiment()
    {
        var clock = Stopwatch.StartNew();
        var (exit, output, stderr) = await RunAsync("""
            technologies: [openmp, cuda]
            pools: { cuda: [gpu-a100] }
            models:
              - { id: expert, provider: sim, behaviour: expert }
            run: { input: tiny, threads: [1], max_pairs: 1, warmups: 0, expert: false }
            """);

        Assert.Equal(2, exit);
        Assert.Contains("technologies: no agent in pool gpu-a100 offers cuda (agents offer: embedded-", stderr, StringComparison.Ordinal);
        AssertNothingRan(output);
        // No experiment waited its 30 s for an agent before failing.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Run_CredentialWhoseKeyIsMissing_IsRefusedBeforeAnyModelCall()
    {
        var port = FreePort();
        var config = Path.Combine(_work, "config.json");
        await File.WriteAllTextAsync(config, $$"""
            { "Credentials": { "local": { "KeyEnv": "KERNELSMITH_TEST_UNSET_KEY", "Endpoints": ["http://127.0.0.1:{{port}}/v1"] } } }
            """);

        var (exit, output, stderr) = await RunAsync($$"""
            technologies: [openmp]
            models:
              - { id: gpt, provider: openai, endpoint: "http://127.0.0.1:{{port}}/v1", model: m, credential: local }
            run: { input: tiny, threads: [1], max_pairs: 1, warmups: 0, expert: false }
            """, "--config", config);

        Assert.Equal(2, exit);
        Assert.Contains("models.gpt: credential 'local': the variable KERNELSMITH_TEST_UNSET_KEY is not set on this host", stderr, StringComparison.Ordinal);
        AssertNothingRan(output);
    }

    [Fact]
    public async Task Run_KeyTheEndpointRefuses_IsRefusedBeforeAnyModelCall()
    {
        await using var endpoint = await Llm.FakeOpenAiServer.StartAsync();
        endpoint.RequiredKey = "sk-the-right-key";
        var config = Path.Combine(_work, "config.json");
        await File.WriteAllTextAsync(config, $$"""
            { "Credentials": { "local": { "Key": "sk-a-wrong-key", "Endpoints": ["{{endpoint.Endpoint}}"] } } }
            """);

        var (exit, output, stderr) = await RunAsync($$"""
            technologies: [openmp]
            models:
              - { id: gpt, provider: openai, endpoint: "{{endpoint.Endpoint}}", model: m, credential: local }
            run: { input: tiny, threads: [1], max_pairs: 1, warmups: 0, expert: false }
            """, "--config", config);

        Assert.Equal(2, exit);
        Assert.Contains($"models.gpt: endpoint {endpoint.Endpoint} refused the key of credential 'local': HTTP 401", stderr, StringComparison.Ordinal);
        Assert.Empty(endpoint.Requests);
        AssertNothingRan(output);
    }

    [Fact]
    public async Task Run_ModelTheEndpointDoesNotList_IsWarnedAboutAndRuns()
    {
        await using var endpoint = await Llm.FakeOpenAiServer.StartAsync();
        endpoint.ServedModels = ["qwen-coder"];

        var (exit, output, stderr) = await RunAsync($$"""
            technologies: [openmp]
            models:
              - { id: gpt, provider: openai, endpoint: "{{endpoint.Endpoint}}", model: qwen-coder-typo }
            run: { input: tiny, threads: [1], max_pairs: 1, warmups: 0, expert: false }
            """, "--json");

        Assert.Equal(1, endpoint.ModelListings);
        // A warning is progress, on stderr: stdout holds only the records, one JSON object per line.
        Assert.Contains($"warning: models.gpt: endpoint {endpoint.Endpoint} does not list model 'qwen-coder-typo' (it lists qwen-coder)",
            System.Text.RegularExpressions.Regex.Replace(stderr, @"\s+", " "), StringComparison.Ordinal);
        Assert.Equal(2, _stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => System.Text.Json.JsonDocument.Parse(line).RootElement.TryGetProperty("verdict", out _)));
        Assert.Equal(2, new ResultsDirectory(output).ReadRecords().Count);
        Assert.NotEqual(2, exit);
    }

    [Fact]
    public async Task Run_EndpointNothingListensOn_IsRefusedBeforeAnyExperiment()
    {
        var endpoint = $"http://127.0.0.1:{FreePort()}/v1";
        var (exit, output, stderr) = await RunAsync($$"""
            technologies: [openmp]
            models:
              - { id: gpt, provider: openai, endpoint: "{{endpoint}}", model: m }
            run: { input: tiny, threads: [1], max_pairs: 1, warmups: 0, expert: false }
            """);

        Assert.Equal(2, exit);
        Assert.Contains($"models.gpt: endpoint {endpoint} is unreachable (Connection refused)", stderr, StringComparison.Ordinal);
        AssertNothingRan(output);
    }

    [Fact]
    public async Task Run_ReadOnlyOutput_IsRefusedBeforeAnyExperiment()
    {
        var output = Directory.CreateDirectory(Path.Combine(_work, "read-only")).FullName;
        // The tests run as root, whom permission bits do not stop: an immutable directory stops everyone.
        await ChattrAsync("+i", output);
        try
        {
            var (exit, _, stderr) = await RunAsync("""
                technologies: [openmp]
                models:
                  - { id: expert, provider: sim, behaviour: expert }
                run: { input: tiny, threads: [1], max_pairs: 1, warmups: 0, expert: false }
                """, "--out", output);

            Assert.Equal(2, exit);
            Assert.Contains($"error: --out {output}: cannot write there (", stderr, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(output));
        }
        finally
        {
            await ChattrAsync("-i", output);
        }
    }

    [Fact]
    public async Task Run_EveryExperimentAnInfraError_ExitsNonZero()
    {
        // A budget of nothing: no model call is allowed, so each experiment ends as infra_error, not as the model's failure.
        var (exit, output, stderr) = await RunAsync("""
            technologies: [openmp]
            models:
              - { id: expert, provider: sim, behaviour: expert }
            budget: { max_cost_usd: 0 }
            run: { input: tiny, threads: [1], max_pairs: 1, warmups: 0, expert: false }
            """);

        Assert.Equal(1, exit);
        Assert.Contains("error: all 2 experiment(s) ended as infra_error: the system failed, not the models", stderr, StringComparison.Ordinal);
        Assert.Equal(2, new ResultsDirectory(output).ReadRecords().Count);
    }

    private async Task<(int Exit, string Output, string Stderr)> RunAsync(string body, params string[] more)
    {
        var spec = Path.Combine(_work, $"sweep-{Guid.NewGuid():n}.yaml");
        await File.WriteAllTextAsync(spec, "name: preflight\nkernels: [gemm]\nsamples: 2\nverify: { amplify: false, sanitizers: [] }\n" + body);
        var output = more.Contains("--out") ? more[Array.IndexOf(more, "--out") + 1] : Path.Combine(_work, "out");
        string[] args = ["run", spec, "--kernels", Repository.Kernels, "--prompts", Path.Combine(Repository.Root, "prompts"), .. more];
        if (!more.Contains("--out"))
        {
            args = [.. args, "--out", output];
        }

        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(TimeSpan.FromMinutes(3), args);
        _stdout = stdout;
        return (exit, output, stderr);
    }

    private static void AssertNothingRan(string output)
    {
        var results = Path.Combine(output, ResultsDirectory.JsonLines);
        Assert.True(!File.Exists(results) || new FileInfo(results).Length == 0, "an experiment was recorded");
        Assert.False(Directory.Exists(Path.Combine(output, "experiments")), "an experiment ran");
    }

    private static async Task ChattrAsync(string change, string path)
    {
        using var chattr = Process.Start("chattr", [change, path]);
        await chattr.WaitForExitAsync();
        Assert.True(chattr.ExitCode == 0, $"chattr {change} {path} failed: this test needs a filesystem with immutable directories");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
