using System.Diagnostics;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Security;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Llm;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Cli.Tests.Llm;

/// <summary>The <c>openai</c> provider against a local server that speaks the real protocol.</summary>
public sealed class OpenAiModelTests : IAsyncLifetime
{
    private FakeOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Complete_Answer_ReturnsTextTokensAndSendsParameters(bool stream)
    {
        _server.DefaultAnswer = _ => "```c\nint main(void) { return 0; }\n```";
        var model = Model(stream) with { Temperature = 0.25, Seed = 11, MaxTokens = 500 };

        var answer = await Provider().CompleteAsync(Request(model), CancellationToken.None);

        Assert.Contains("int main(void)", answer.Text, StringComparison.Ordinal);
        Assert.True(answer.Tokens.Input > 0 && answer.Tokens.Output > 0);
        var (authorization, body) = Assert.Single(_server.Requests);
        Assert.Equal("Bearer test-secret-key", authorization);
        Assert.Equal("fake-gpt", body["model"]!.GetValue<string>());
        Assert.Equal(0.25, body["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(11, body["seed"]!.GetValue<int>());
        Assert.Equal("user", body["messages"]![1]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Complete_TooManyRequestsWithRetryAfter_WaitsAndSucceeds()
    {
        _server.ThenTooManyRequests(retryAfterSeconds: 2);
        _server.DefaultAnswer = _ => "done";
        var clock = Stopwatch.StartNew();

        var answer = await Provider().CompleteAsync(Request(Model()), CancellationToken.None);

        Assert.Equal("done", answer.Text);
        Assert.Equal(2, _server.Requests.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"retried after {clock.Elapsed}, before Retry-After");
    }

    [Fact]
    public async Task Complete_ServerErrorEveryTime_IsModelUnavailableAfterRetries()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.ThenServerError();
        }

        var model = Model() with { Limits = ModelLimits.Default with { MaxRetries = 2, TimeoutSeconds = 10 } };

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => Provider().CompleteAsync(Request(model), CancellationToken.None));

        Assert.Contains("HTTP 500", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, _server.Requests.Count);
        Assert.DoesNotContain("test-secret-key", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_HungConnection_IsModelUnavailableWithinTheTimeout()
    {
        _server.ThenHang();
        var model = Model() with { Limits = ModelLimits.Default with { MaxRetries = 0, TimeoutSeconds = 1 } };
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => Provider().CompleteAsync(Request(model), CancellationToken.None));

        Assert.Contains("timeout", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Complete_MalformedJson_IsModelUnavailableNotACrash()
    {
        _server.ThenMalformedJson();
        var model = Model() with { Limits = ModelLimits.Default with { MaxRetries = 0 } };

        await Assert.ThrowsAsync<ModelUnavailableException>(() => Provider().CompleteAsync(Request(model), CancellationToken.None));
    }

    [Fact]
    public async Task Complete_EndpointKeepsFailing_OpensTheCircuit()
    {
        var provider = Provider();
        var model = Model() with { Limits = ModelLimits.Default with { MaxRetries = 0 } };
        for (var i = 0; i < 5; i++)
        {
            _server.ThenServerError();
            await Assert.ThrowsAsync<ModelUnavailableException>(() => provider.CompleteAsync(Request(model), CancellationToken.None));
        }

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => provider.CompleteAsync(Request(model), CancellationToken.None));

        Assert.Contains("circuit open", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, _server.Requests.Count);
    }

    [Fact]
    public async Task Complete_MissingKeyVariable_SaysWhichVariable()
    {
        var credentials = Credentials();
        credentials.Named["fake"] = new CredentialOptions { KeyEnv = "KERNELSMITH_TEST_UNSET_KEY", Endpoints = [_server.Endpoint] };

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => Provider(credentials).CompleteAsync(Request(Model()), CancellationToken.None));

        Assert.Contains("KERNELSMITH_TEST_UNSET_KEY", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Complete_UnknownCredentialOrUnboundEndpoint_IsRefusedBeforeAnyRequest(bool unknown)
    {
        using var thief = new Security.LoopbackListener();
        var model = unknown ? Model() with { Credential = "nobody" } : Model() with { Endpoint = thief.Url };

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => Provider().CompleteAsync(Request(model), CancellationToken.None));

        Assert.Contains(unknown ? "unknown credential 'nobody'" : $"credential 'fake' is not bound to endpoint {thief.Url}", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
        Assert.Equal(0, thief.Connections);
    }

    private ModelCredentials Credentials()
    {
        var credentials = new ModelCredentials();
        credentials.Named["fake"] = new CredentialOptions { Key = "test-secret-key", Endpoints = [_server.Endpoint] };
        return credentials;
    }

    private OpenAiModel Provider(ModelCredentials? credentials = null) => new(TimeProvider.System, Options.Create(credentials ?? Credentials()));

    private ModelSpec Model(bool stream = false) =>
        new("fake", ModelProviders.OpenAi, Endpoint: _server.Endpoint, Model: "fake-gpt", Stream: stream, Credential: "fake");

    private static ModelRequest Request(ModelSpec model)
    {
        var kernel = new KernelDefinition("k", "k", "c", "", ["openmp"], [new CodeFile("k.c", "int main(void) { return 0; }")],
            new KernelBuild("gcc", ["-O2"], []), new Dictionary<string, KernelInput>(), new OutputComparison("exact", 0, 0, []),
            new Dictionary<string, IReadOnlyList<CodeFile>>(), "hash");
        var experiment = new ExperimentSpec("s/k/openmp/fake/plain/0", "s", "k", model, "openmp", "plain", 0, new RepairSettings(0), new RunSettings("tiny", [1], [1], 1, 5, 5));
        return new ModelRequest(experiment, model, kernel, PromptLibrary.Render(PromptLibrary.Default, kernel, "openmp", new PromptContext("test machine", ["openmp"])), 0);
    }
}
