using System.Text.Json;

namespace Kernelsmith.Cli.Tests;

/// <summary>
/// The command's output as a script reads it: JSON with <c>--json</c> (parsed here), plain tab-separated tables in a
/// pipe, nothing but the answer on stdout, and exit code 2 for a usage mistake, as the help documents.
/// </summary>
public sealed class MachineReadableOutputTests
{
    [Fact]
    public async Task KernelsList_Json_OneObjectPerLinePerKernel()
    {
        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync("kernels", "list", "--json", "--kernels", Repository.Kernels);

        Assert.True(exit == 0, stderr);
        var kernels = Lines(stdout).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var ids = kernels.Select(k => k.GetProperty("id").GetString()).ToList();
        Assert.Equal(Directory.GetDirectories(Repository.Kernels).Length, kernels.Count);
        Assert.Contains("gemm", ids);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        var gemm = kernels.Single(k => k.GetProperty("id").GetString() == "gemm");
        Assert.Contains("openmp", gemm.GetProperty("technologies").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains("tiny", gemm.GetProperty("inputs").EnumerateArray().Select(t => t.GetString()));
        Assert.False(string.IsNullOrEmpty(gemm.GetProperty("content_hash").GetString()));
    }

    [Fact]
    public async Task KernelsList_InAPipe_TabSeparatedWithAHeaderAndNoBoxDrawing()
    {
        var (exit, stdout, _) = await CommandLineTests.KernelsmithAsync("kernels", "list", "--kernels", Repository.Kernels);

        Assert.Equal(0, exit);
        var lines = Lines(stdout);
        Assert.Equal("id\ttitle\ttechnologies\tinputs\tsolutions", lines[0]);
        Assert.All(lines, l => Assert.Equal(5, l.Split('\t').Length));
        Assert.Contains(lines, l => l.StartsWith("gemm\t", StringComparison.Ordinal));
        Assert.DoesNotContain('│', stdout);
        Assert.DoesNotContain('─', stdout);
    }

    [Fact]
    public async Task KernelsShow_Json_TheKernelAsLoaded()
    {
        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync("kernels", "show", "gemm", "--json", "--kernels", Repository.Kernels);

        Assert.True(exit == 0, stderr);
        var kernel = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("gemm", kernel.GetProperty("id").GetString());
        Assert.NotEmpty(kernel.GetProperty("sources").EnumerateArray());
        Assert.True(kernel.GetProperty("solutions").TryGetProperty("openmp", out _));
    }

    [Fact]
    public async Task UnknownOption_ExitsWithTwoAndPointsToTheHelp()
    {
        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync("kernels", "list", "--jsn", "--kernels", Repository.Kernels);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("error: ", stderr, StringComparison.Ordinal);
        Assert.Contains("--jsn", stderr, StringComparison.Ordinal);
        Assert.EndsWith("see: kernelsmith kernels list --help", stderr.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_DocumentsTheExitCodesAndWhereOutputGoes()
    {
        var (exit, stdout, _) = await CommandLineTests.KernelsmithAsync("--help");

        Assert.Equal(0, exit);
        Assert.Contains("Exit codes: 0 success; 1 the work failed", stdout, StringComparison.Ordinal);
        Assert.Contains("2 usage or input errors", stdout, StringComparison.Ordinal);
        Assert.Contains("progress to stderr", stdout, StringComparison.Ordinal);
    }

    internal static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
