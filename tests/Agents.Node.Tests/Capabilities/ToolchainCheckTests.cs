using System.Collections;
using Kernelsmith.Agents.Node.Capabilities;

namespace Kernelsmith.Agents.Node.Tests.Capabilities;

/// <summary>
/// An agent offers a technology only when a test program really builds and runs with its toolchain: a wrapper whose
/// headers are missing (MPICH's mpicc.mpich without libmpich-dev, as on a fresh machine) is refused with its problem
/// named, instead of turning every MPI answer into a model's build_error.
/// </summary>
public sealed class ToolchainCheckTests : IDisposable
{
    private readonly DirectoryInfo _bin = Directory.CreateTempSubdirectory("kernelsmith-broken-bin-");
    private readonly DirectoryInfo _emptyInclude = Directory.CreateTempSubdirectory("kernelsmith-empty-include-");

    public void Dispose()
    {
        _bin.Delete(recursive: true);
        _emptyInclude.Delete(recursive: true);
    }

    [Fact]
    public void Detect_MpichWrapperWithoutHeaders_RefusesMpichAndKeepsOpenMpi()
    {
        BrokenWrapper("mpicc.mpich");

        var capabilities = CapabilityProbe.Detect(EnvironmentWithBrokenWrappersFirst());

        Assert.Contains("mpi", capabilities.Technologies);
        Assert.DoesNotContain(capabilities.Tools, t => t.Name == "mpicc.mpich");
        Assert.Contains(capabilities.Tools, t => t.Name == "mpicc.openmpi");
        var refusal = Assert.Single(capabilities.Unavailable);
        Assert.Contains("mpicc.mpich", refusal, StringComparison.Ordinal);
        Assert.Contains("mpi.h", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_EveryMpiWrapperWithoutHeaders_DoesNotOfferMpi()
    {
        foreach (var wrapper in new[] { "mpicc", "mpicc.openmpi", "mpicc.mpich" })
        {
            BrokenWrapper(wrapper);
        }

        var capabilities = CapabilityProbe.Detect(EnvironmentWithBrokenWrappersFirst());

        Assert.DoesNotContain("mpi", capabilities.Technologies);
        Assert.Contains("openmp", capabilities.Technologies);
        Assert.Equal(3, capabilities.Unavailable.Count);
        Assert.All(capabilities.Unavailable, refusal => Assert.Contains("mpi.h: No such file or directory", refusal, StringComparison.Ordinal));
    }

    [Fact]
    public void Detect_RealToolchains_OfferOpenMpAndBothMpis()
    {
        var capabilities = CapabilityProbe.Detect(EnvironmentWithBrokenWrappersFirst());

        Assert.Contains("openmp", capabilities.Technologies);
        Assert.Contains("mpi", capabilities.Technologies);
        Assert.Contains(capabilities.Tools, t => t.Name == "mpicc.mpich" && t.Version.StartsWith("MPICH", StringComparison.Ordinal));
        Assert.Empty(capabilities.Unavailable);
    }

    [Fact]
    public void OpenMp_GccWithoutOpenMpHeader_NamesTheMissingPiece()
    {
        BrokenWrapper("gcc", "-nostdinc");

        var problem = ToolchainCheck.OpenMp(EnvironmentWithBrokenWrappersFirst());

        Assert.NotNull(problem);
        Assert.Contains("openmp cannot build a test program", problem, StringComparison.Ordinal);
        Assert.Contains(".h: No such file or directory", problem, StringComparison.Ordinal);
    }

    /// <summary>A compiler wrapper that compiles with plain gcc against an empty include directory: no mpi.h anywhere.</summary>
    private void BrokenWrapper(string name, string extraFlags = "")
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("agents run on Linux only");
        }

        var path = Path.Combine(_bin.FullName, name);
        File.WriteAllText(path, $"#!/bin/sh\nexec /usr/bin/gcc {extraFlags} -I{_emptyInclude.FullName} \"$@\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private Dictionary<string, string> EnvironmentWithBrokenWrappersFirst()
    {
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        environment["PATH"] = $"{_bin.FullName}:{environment.GetValueOrDefault("PATH", "/usr/bin:/bin")}";
        return environment;
    }
}
