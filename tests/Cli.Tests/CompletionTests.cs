using System.Diagnostics;

namespace Kernelsmith.Cli.Tests;

/// <summary>
/// Issue 18, item 4: <c>kernelsmith completion bash|zsh</c> loaded in a real bash and zsh, completing as a user's Tab
/// would: commands, subcommands, option values and options come from the program's own [suggest] directive.
/// </summary>
public sealed class CompletionTests
{
    /// <summary>`kernelsmith` as the shell finds it (a function standing in for the installed command).</summary>
    private static readonly string s_program = $"kernelsmith() {{ dotnet '{Path.Combine(AppContext.BaseDirectory, "kernelsmith.dll")}' \"$@\"; }}\n";

    [Theory]
    [InlineData("kernelsmith kern", "kernels")]
    [InlineData("kernelsmith kernels ", "list show validate")]
    [InlineData("kernelsmith kernels list --j", "--json")]
    [InlineData("kernelsmith export out --format ", "jsonl openai-chat trajectories trl-dpo trl-kto")]
    [InlineData("kernelsmith run ", "")]
    public async Task Bash_Tab_CompletesFromTheProgram(string line, string expected)
    {
        var script = $$"""
            eval "$(kernelsmith completion bash)"
            complete -p kernelsmith
            COMP_LINE='{{line}}'; COMP_POINT=${#COMP_LINE}
            _kernelsmith
            echo "reply: ${COMPREPLY[*]}"
            """;

        var output = await ShellAsync("bash", script);

        Assert.Contains("complete -o default -F _kernelsmith kernelsmith", output, StringComparison.Ordinal);
        Assert.Contains($"reply: {expected}\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bash_Tab_OffersEveryCommandAtTheStart()
    {
        var output = await ShellAsync("bash", """
            eval "$(kernelsmith completion bash)"
            COMP_LINE='kernelsmith '; COMP_POINT=12
            _kernelsmith
            printf '%s\n' "${COMPREPLY[@]}"
            """);

        var offered = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Superset(new HashSet<string>(["run", "submit", "watch", "status", "results", "report", "export", "kernels", "bench", "calibrate", "completion"]), offered.ToHashSet());
        Assert.DoesNotContain("/?", offered);
        Assert.DoesNotContain("--help", offered);
    }

    [Theory]
    [InlineData("kernelsmith kern", "kernels")]
    [InlineData("kernelsmith kernels ''", "list show validate")]
    [InlineData("kernelsmith export out --format ''", "jsonl openai-chat trajectories trl-dpo trl-kto")]
    public async Task Zsh_Tab_CompletesFromTheProgram(string words, string expected)
    {
        var script = $$"""
            autoload -Uz compinit && compinit -u -D
            eval "$(kernelsmith completion zsh)"
            print "registered: ${_comps[kernelsmith]}"
            words=({{words}}); CURRENT=${#words}
            _kernelsmith_suggestions
            print "reply: ${reply[*]}"
            """;

        var output = await ShellAsync("zsh", script);

        Assert.Contains("registered: _kernelsmith\n", output, StringComparison.Ordinal);
        Assert.Contains($"reply: {expected}\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_UnknownShell_IsAUsageError()
    {
        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync("completion", "fish");

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("'fish' not recognized", stderr, StringComparison.Ordinal);
    }

    private static async Task<string> ShellAsync(string shell, string script)
    {
        var info = new ProcessStartInfo(shell) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(s_program + script);
        info.Environment["HOME"] = Directory.CreateTempSubdirectory("kernelsmith-completion-").FullName;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(limit.Token);
        Assert.True(process.ExitCode == 0, $"{shell} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
