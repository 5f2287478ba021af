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
        var (spec, stderr) = await SubmitRefusedAsync("typo", "samples: 1", "samples: 1\nsampels: 2");

        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(spec)}:\d+: sampels: ", stderr);
    }

    [Fact]
    public async Task Submit_KernelNeitherSideHas_IsRefusedByTheSiloNamingTheField()
    {
        var (spec, stderr) = await SubmitRefusedAsync("nokernel", "kernels: [gemm]", "kernels: [gemm, no-such-kernel]");

        Assert.Contains($"{spec}:2: kernels: unknown kernel 'no-such-kernel'", stderr, StringComparison.Ordinal);
    }

    /// <summary>Submits the fixture's spec with one line changed; the call must fail as a user's mistake (exit 2) and print no sweep id.</summary>
    private async Task<(string Spec, string Stderr)> SubmitRefusedAsync(string name, string line, string changed)
    {
        var spec = await silo.SpecAsync($"{name}-{Guid.NewGuid():n}"[..(name.Length + 9)]);
        await File.WriteAllTextAsync(spec, (await File.ReadAllTextAsync(spec)).Replace(line, changed, StringComparison.Ordinal));

        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(
            "submit", spec, "--kernels", Repository.Kernels, "--cluster", silo.SiloUrl, "--token-file", silo.TokenFile("alice"));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        return (spec, stderr);
    }
}
