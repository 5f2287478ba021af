using Kernelsmith.Contracts.Security;
using Kernelsmith.ServiceDefaults.Security;
using Microsoft.Extensions.Configuration;

namespace Kernelsmith.Cli.Tests.Security;

/// <summary>
/// A silo or agent without a cluster token serves only loopback, unless the operator says the network is trusted: an
/// open API on a shared network would let anyone submit sweeps or hand an agent programs to run.
/// </summary>
public sealed class OpenClusterGuardTests
{
    [Theory]
    [InlineData("silo")]
    [InlineData("agent")]
    public async Task Host_WithoutATokenOnEveryInterface_RefusesToStartAndSaysWhatToDo(string verb)
    {
        var listen = $"http://0.0.0.0:{LoopbackPort.Free()}";
        string[] args = verb == "agent" ? [verb, "--listen", listen, "--silo", "http://127.0.0.1:1"] : [verb, "--listen", listen];
        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(TimeSpan.FromMinutes(1), args);

        Assert.NotEqual(0, exit);
        var said = stdout + stderr;
        Assert.Contains($"no cluster token, yet serving on {listen}", said, StringComparison.Ordinal);
        Assert.Contains("--token-file", said, StringComparison.Ordinal);
        Assert.Contains("Cluster__AllowOpen=true", said, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5070", true)]
    [InlineData("http://localhost:5070", true)]
    [InlineData("http://[::1]:5070", true)]
    [InlineData("http://0.0.0.0:5070", false)]
    [InlineData("http://+:5070", false)]
    [InlineData("http://*:5070", false)]
    [InlineData("http://[::]:5070", false)]
    [InlineData("http://10.1.2.3:5070", false)]
    [InlineData("https://silo.lab:5070", false)]
    public void Guard_WithoutAToken_AllowsLoopbackOnly(string url, bool allowed)
    {
        var result = Validate(url, new ClusterTokenOptions());

        Assert.Equal(allowed, result.Succeeded);
    }

    [Fact]
    public void Guard_WithATokenOrAnOperatorsConsent_AllowsEveryInterface()
    {
        Assert.True(Validate("http://0.0.0.0:5070", new ClusterTokenOptions { Token = "secret" }).Succeeded);
        Assert.True(Validate("http://0.0.0.0:5070", new ClusterTokenOptions { AllowOpen = true }).Succeeded);
    }

    [Fact]
    public void Guard_ProbePortOnEveryInterface_IsNotTheApi()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:5070;http://+:8080",
            ["Health:Port"] = "8080",
        }).Build();

        Assert.True(new OpenClusterGuard(configuration).Validate(null, new ClusterTokenOptions()).Succeeded);
    }

    [Fact]
    public void Guard_TokenFileMissing_NamesTheFile()
    {
        var result = Validate("http://127.0.0.1:5070", new ClusterTokenOptions { TokenFile = "/nonexistent/cluster.token" });

        Assert.True(result.Failed);
        Assert.Contains("/nonexistent/cluster.token", result.FailureMessage, StringComparison.Ordinal);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(string url, ClusterTokenOptions options) =>
        new OpenClusterGuard(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = url }).Build()).Validate(null, options);
}
