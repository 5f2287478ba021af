using System.Diagnostics;

namespace Kernelsmith.Cli.Tests;

/// <summary>The command as a user runs it: a separate process, its exit code and what it prints.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Run_MissingSpec_PrintsOneLineAndExitsNonZero()
    {
        var (exit, _, stderr) = await KernelsmithAsync("run", "/nonexistent/sweep.yaml", "--kernels", Repository.Kernels);

        Assert.Equal(2, exit);
        Assert.Equal("error: /nonexistent/sweep.yaml: (file): sweep spec not found", stderr.Trim());
    }

    [Fact]
    public async Task Run_UnknownKernel_NamesFileLineAndField()
    {
        var spec = Path.Combine(Directory.CreateTempSubdirectory("kernelsmith-cli-").FullName, "bad.yaml");
        await File.WriteAllTextAsync(spec, "name: bad\nkernels: [gemm, nbody]\ntechnologies: [openmp]\nmodels:\n  - { id: e, provider: sim, behaviour: expert }\nrun: { threads: [1] }\n");

        var (exit, _, stderr) = await KernelsmithAsync("run", spec, "--kernels", Repository.Kernels);

        Assert.Equal(2, exit);
        Assert.StartsWith($"error: {spec}:2: kernels: unknown kernel 'nbody'", stderr.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KernelsList_ShowsTheCatalog()
    {
        var (exit, stdout, _) = await KernelsmithAsync("kernels", "list", "--kernels", Repository.Kernels);

        Assert.Equal(0, exit);
        Assert.Contains("gemm", stdout, StringComparison.Ordinal);
        Assert.Contains("heat2d", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("agent")]
    [InlineData("submit")]
    [InlineData("watch")]
    [InlineData("status")]
    public async Task ClusterAddress_IsCalledClusterByEveryCommandThatTakesOne(string verb)
    {
        var (exit, stdout, _) = await KernelsmithAsync(verb, "--help");

        Assert.Equal(0, exit);
        Assert.Matches(@"(?m)^\s+--cluster\b", stdout);
    }

    internal static Task<(int Exit, string Stdout, string Stderr)> KernelsmithAsync(params string[] args) =>
        KernelsmithAsync(TimeSpan.FromMinutes(2), args);

    internal static Task<(int Exit, string Stdout, string Stderr)> KernelsmithAsync(TimeSpan limit, params string[] args) =>
        KernelsmithAsync(limit, new Dictionary<string, string>(), args);

    internal static async Task<(int Exit, string Stdout, string Stderr)> KernelsmithAsync(TimeSpan limit, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kernelsmith.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["COLUMNS"] = "200";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A command past its limit must not run on under the next tests.
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kernelsmith {string.Join(' ', args)} did not finish within {limit}:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
