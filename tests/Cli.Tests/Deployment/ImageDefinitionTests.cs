using System.Text.RegularExpressions;

namespace Kernelsmith.Cli.Tests.Deployment;

/// <summary>
/// The two ways to build an image stay one image: the Dockerfiles (registry access) and scripts/build-images.sh (none)
/// publish the same project and read the same package list and settings, and the ports the images serve on are the
/// ones deploy/k8s probes and exposes. The build itself takes minutes and root, so CI checks the definitions only.
/// </summary>
public sealed partial class ImageDefinitionTests
{
    private static readonly string s_images = Path.Combine(Repository.Root, "deploy", "images");

    [Theory]
    [InlineData("silo", "src/Silo/Silo.csproj")]
    [InlineData("agent", "src/Agents.Node/Agents.Node.csproj")]
    public void DockerfileAndBuildScript_PublishTheSameProject_FromTheSamePackageList(string image, string project)
    {
        var dockerfile = File.ReadAllText(Path.Combine(s_images, $"{image}.Dockerfile"));
        var script = File.ReadAllText(Path.Combine(Repository.Root, "scripts", "build-images.sh"));

        Assert.Contains($"[{image}]={project}", script, StringComparison.Ordinal);
        Assert.Contains($"dotnet publish {project} -c Release -r linux-x64 --self-contained -o /app", dockerfile, StringComparison.Ordinal);
        Assert.Contains("-c Release -r linux-x64 --self-contained", script, StringComparison.Ordinal);
        Assert.Contains($"COPY deploy/images/{image}.packages /tmp/packages", dockerfile, StringComparison.Ordinal);
        Assert.Contains("FROM debian:bookworm-slim", dockerfile, StringComparison.Ordinal);
        Assert.Contains(" bookworm ", script, StringComparison.Ordinal);
    }

    [Fact]
    public void AgentImage_HoldsEverythingInstallDepsInstallsForTheAgent()
    {
        var installDeps = File.ReadAllText(Path.Combine(Repository.Root, "scripts", "install-deps.sh"));
        var agentPackages = InstallDepsBasePackage().Match(installDeps).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Except(["redis-server", "fonts-dejavu-core"]);

        Assert.Empty(agentPackages.Except(Packages("agent")));
    }

    [Fact]
    public void CudaAgentImage_IsTheAgentImage_UnderUbuntuNames()
    {
        // Ubuntu names differ by version only (libicu72/libicu74, libssl3/libssl3t64, libclang-rt-14/-18).
        static string Unversioned(string package) => Regex.Replace(package, @"\d+(t64)?", "");
        Assert.Equal(Packages("agent").Select(Unversioned), Packages("agent-cuda").Select(Unversioned));
        var cudaSettings = Settings("agent-cuda").Where(s => !s.Contains("NVIDIA", StringComparison.Ordinal));
        Assert.Equal(Settings("agent"), cudaSettings);
    }

    [Theory]
    [InlineData("silo", "silo")]
    [InlineData("agent", "agent-multicore")]
    public void ImagePorts_AreThePortsKubernetesProbesAndServes(string image, string deployment)
    {
        var settings = Settings(image);
        var grpcPort = int.Parse(ListenPort().Match(settings.Single(s => s.StartsWith("ENV ASPNETCORE_URLS=", StringComparison.Ordinal))).Groups[1].Value);
        var healthPort = int.Parse(settings.Single(s => s.StartsWith("ENV Health__Port=", StringComparison.Ordinal))["ENV Health__Port=".Length..]);
        var exposed = settings.Where(s => s.StartsWith("EXPOSE ", StringComparison.Ordinal)).Select(s => int.Parse(s["EXPOSE ".Length..])).ToList();

        var container = RenderedManifests.Render("dev").Deployment(deployment).Spec.Template.Spec.Containers[0];
        var ports = container.Ports.ToDictionary(p => p.Name, p => p.ContainerPort);
        Assert.Equal(grpcPort, ports["grpc"]);
        Assert.Equal(healthPort, ports["health"]);
        Assert.Contains(grpcPort, exposed);
        Assert.Contains(healthPort, exposed);
        Assert.Equal("health", container.ReadinessProbe.HttpGet.Port.Value);
    }

    private static List<string> Packages(string image) =>
        File.ReadAllLines(Path.Combine(s_images, $"{image}.packages")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

    /// <summary>The final stage's ENV, USER, WORKDIR, EXPOSE and ENTRYPOINT lines: what build-images.sh gives podman import.</summary>
    private static List<string> Settings(string image)
    {
        var lines = File.ReadAllLines(Path.Combine(s_images, $"{image}.Dockerfile"));
        var lastFrom = Array.FindLastIndex(lines, l => l.StartsWith("FROM ", StringComparison.Ordinal));
        return lines.Skip(lastFrom).Where(l => SettingLine().IsMatch(l)).ToList();
    }

    [GeneratedRegex(@"^(ENV|USER|WORKDIR|EXPOSE|ENTRYPOINT) ")]
    private static partial Regex SettingLine();

    [GeneratedRegex(@":(\d+)$")]
    private static partial Regex ListenPort();

    [GeneratedRegex(@"^packages=\(([^)]*)\)", RegexOptions.Multiline)]
    private static partial Regex InstallDepsBasePackage();
}
