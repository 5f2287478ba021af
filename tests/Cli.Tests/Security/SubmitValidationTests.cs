namespace Kernelsmith.Cli.Tests.Security;

/// <summary>
/// <c>kernelsmith submit</c> leaves the spec's parsing to the silo, which must validate what any client sends: a mistake
/// still reaches the user naming their own file, the line and the field, and nothing is started.
/// </summary>
[Trait("Category", "Security")]
public sealed class SubmitValidationTests(SecureSiloFixture silo) : IClassFixture<SecureSiloFixture>
{
    [Fact]
    public async Task Submit_UnknownFieldInTheSpec_IsRefusedNamingTheUsersFileLineAndField()
    {
        var spec = await silo.SpecAsync($"typo-{Guid.NewGuid():n}"[..13]);
        await File.WriteAllTextAsync(spec, (await File.ReadAllTextAsync(spec)).Replace("samples: 1", "samples: 1\nsampels: 2", StringComparison.Ordinal));

        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(
            "submit", spec, "--kernels", Repository.Kernels, "--cluster", silo.SiloUrl, "--token-file", silo.TokenFile("alice"));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(spec)}:\d+: sampels: ", stderr);
    }

    [Fact]
    public async Task Submit_KernelNeitherSideHas_IsRefusedByTheSiloNamingTheField()
    {
        var spec = await silo.SpecAsync($"nokernel-{Guid.NewGuid():n}"[..17]);
        await File.WriteAllTextAsync(spec, (await File.ReadAllTextAsync(spec)).Replace("kernels: [gemm]", "kernels: [gemm, no-such-kernel]", StringComparison.Ordinal));

        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(
            "submit", spec, "--kernels", Repository.Kernels, "--cluster", silo.SiloUrl, "--token-file", silo.TokenFile("alice"));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains($"{spec}:2: kernels: unknown kernel 'no-such-kernel'", stderr, StringComparison.Ordinal);
    }
}
