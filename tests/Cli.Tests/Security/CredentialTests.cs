using Grpc.Core;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Cli.Tests.Security;

/// <summary>
/// A submitted spec against a silo process that holds the operator's credentials (and OPENAI_API_KEY and another secret
/// in its environment): the spec can name a credential, never read the silo's environment or files, and a key goes
/// only to an endpoint it is bound to.
/// </summary>
[Trait("Category", "Security")]
public sealed class CredentialTests(SecureSiloFixture silo) : IClassFixture<SecureSiloFixture>
{
    public static TheoryData<string, string, string> Thefts => new()
    {
        { "credential: lab", "bound", "models[1].endpoint: credential 'lab' is not bound to endpoint" },
        { "credential: root", "bound", "models[1].credential: unknown credential 'root' (known: lab, revoked)" },
        { "apiKeyEnv: OPENAI_API_KEY", "bound", "models[1].apiKeyEnv: a spec no longer reads API keys from the host" },
        { "apiKeyFile: CLUSTER_TOKEN_FILE", "bound", "models[1].apiKeyFile: a spec no longer reads API keys from the host" },
        { "temperature: 0", "${KERNELSMITH_TEST_SILO_SECRET}", "models[1].endpoint: environment variable KERNELSMITH_TEST_SILO_SECRET is not set" },
    };

    [Theory]
    [MemberData(nameof(Thefts))]
    public async Task Submit_SpecReachingForTheSilosSecrets_IsRefusedAndTheListenerReceivesNothing(string line, string path, string refusal)
    {
        var endpoint = path == "bound" ? silo.Thief.Url : silo.Thief.Url + "/" + path;
        var models = $"  - {{ id: gpt, provider: openai, endpoint: '{endpoint}', model: m, {line.Replace("CLUSTER_TOKEN_FILE", silo.TokenFile("cluster"), StringComparison.Ordinal)} }}";
        var request = new SubmitRequest { SpecName = "theft.yaml", SpecYaml = await File.ReadAllTextAsync(await silo.SpecAsync($"theft-{Guid.NewGuid():n}"[..14], models)) };
        request.Files.AddRange(SecureSiloFixture.GemmFiles());

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await silo.Client("alice").SubmitAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains(refusal, refused.Status.Detail, StringComparison.Ordinal);
        Assert.StartsWith("theft.yaml:", refused.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(SecureSiloFixture.SiloSecret, refused.Status.Detail, StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Equal(0, silo.Thief.Connections);
    }

    [Fact]
    public async Task Submit_BoundCredential_SendsTheOperatorsKeyToItsEndpointOnly()
    {
        var models = $"  - {{ id: gpt, provider: openai, endpoint: '{silo.Lab.Endpoint}', model: m, credential: lab }}";
        var spec = await silo.SpecAsync("bound", models);

        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(
            "submit", spec, "--kernels", Repository.Kernels, "--cluster", silo.SiloUrl, "--token-file", silo.TokenFile("alice"));
        await Cluster.ClusterFixture.WaitUntilAsync(() => Task.FromResult(!silo.Lab.Requests.IsEmpty), TimeSpan.FromMinutes(2), "the model call");

        Assert.True(exit == 0, stdout + stderr);
        Assert.All(silo.Lab.Requests, r => Assert.Equal($"Bearer {SecureSiloFixture.ApiKey}", r.Authorization));
        Assert.Equal(0, silo.Thief.Connections);
    }

    [Fact]
    public async Task Submit_KeyTheEndpointRefuses_IsRefusedBeforeAnyModelCall()
    {
        var models = $"  - {{ id: gpt, provider: openai, endpoint: '{silo.Revoked.Endpoint}', model: m, credential: revoked }}";
        var spec = await silo.SpecAsync("revoked", models);

        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(
            "submit", spec, "--kernels", Repository.Kernels, "--cluster", silo.SiloUrl, "--token-file", silo.TokenFile("alice"));

        Assert.True(exit == 2, stdout + stderr);
        Assert.Contains($"models.gpt: endpoint {silo.Revoked.Endpoint} refused the key of credential 'revoked': HTTP 401", stderr, StringComparison.Ordinal);
        Assert.True(silo.Revoked.ModelListings > 0);
        Assert.Empty(silo.Revoked.Requests);
    }

    [Fact]
    public async Task Submit_ApiKeyEnvInTheSpec_IsRefusedByTheClientToo()
    {
        var spec = await silo.SpecAsync("client-side", $"  - {{ id: gpt, provider: openai, endpoint: '{silo.Thief.Url}', model: m, apiKeyEnv: OPENAI_API_KEY }}");

        var (exit, _, stderr) = await CommandLineTests.KernelsmithAsync(
            "submit", spec, "--kernels", Repository.Kernels, "--cluster", silo.SiloUrl, "--token-file", silo.TokenFile("alice"));

        Assert.Equal(2, exit);
        Assert.Contains("models[1].apiKeyEnv: a spec no longer reads API keys from the host: name one of the operator's credentials instead", stderr, StringComparison.Ordinal);
    }
}
