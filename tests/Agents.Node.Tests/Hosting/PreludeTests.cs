using Kernelsmith.Agents.Node.Hosting;

namespace Kernelsmith.Agents.Node.Tests.Hosting;

/// <summary>A site's environment prelude runs inside the sandbox before every build and run.</summary>
[Collection(AgentCollection.Name)]
public sealed class PreludeTests(AgentFixture fixture)
{
    [Fact]
    public async Task Run_WithPrelude_SeesWhatThePreludeSet()
    {
        // Readable by others (unlike a CreateTempSubdirectory one): jobs may run as another user.
        var site = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"kernelsmith-site-{Guid.NewGuid():n}")).FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(site, "env.sh"), "export KS_SITE_GREETING=hello-from-the-site\n");
            await using var agent = await AgentHost.StartAsync(new Dictionary<string, string?>
            {
                [$"{AgentOptions.Section}:Prelude"] = $"source {site}/env.sh",
                [$"{AgentOptions.Section}:ReadOnlyPaths:0"] = site,
            });

            var call = await agent.RunAsync(await agent.BuildProgramAsync("prelude_env"), 10_000);

            Assert.Equal(0, call.Result.ExitCode);
            Assert.Equal("greeting: hello-from-the-site\n", call.Stdout);
        }
        finally
        {
            Directory.Delete(site, recursive: true);
        }
    }

    [Fact]
    public async Task Run_WithoutPrelude_SeesNothingOfIt()
    {
        var call = await fixture.Agent.RunAsync(await fixture.Agent.BuildProgramAsync("prelude_env"), 10_000);

        Assert.Equal("greeting: (unset)\n", call.Stdout);
    }
}
