namespace Kernelsmith.Cli.Tests;

/// <summary><c>kernels list</c> over a catalog with one broken folder: the good kernels listed, the bad one named.</summary>
public sealed class KernelsListTests
{
    [Fact]
    public async Task KernelsList_OneBrokenFolder_ListsTheOthersAndNamesItsFileAndLine()
    {
        var catalog = Directory.CreateTempSubdirectory("kernelsmith-catalog-").FullName;
        foreach (var kernel in new[] { "gemm", "heat2d" })
        {
            Copy(Path.Combine(Repository.Kernels, kernel), Path.Combine(catalog, kernel));
        }

        var broken = Directory.CreateDirectory(Path.Combine(catalog, "broken")).FullName;
        await File.WriteAllTextAsync(Path.Combine(broken, "kernel.yaml"), "id: broken\ntitle: [unclosed\n");

        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync("kernels", "list", "--kernels", catalog);

        Assert.Equal(1, exit);
        Assert.Contains("gemm", stdout, StringComparison.Ordinal);
        Assert.Contains("heat2d", stdout, StringComparison.Ordinal);
        Assert.StartsWith($"error: kernel folder skipped: {Path.Combine(broken, "kernel.yaml")}:", stderr.Trim(), StringComparison.Ordinal);
        Assert.Contains("(syntax)", stderr, StringComparison.Ordinal);
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
