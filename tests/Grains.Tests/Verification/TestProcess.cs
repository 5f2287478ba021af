using System.Diagnostics;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Tests.Verification;

/// <summary>What a command did, as an agent reports it, with its standard output on its own for comparisons.</summary>
public sealed record ProcessRun(JobOutcome Outcome, string Stdout);

/// <summary>Runs real compilers and programs the way the agent sees them: C locale, a wall-clock limit, signals decoded.</summary>
public static class TestProcess
{
    /// <summary>
    /// A command line of space-separated words, without quoting: leading NAME=value words set the environment,
    /// {src} is the source file, {exe} and {ref} the program and the reference in <paramref name="directory"/>.
    /// </summary>
    public static Task<ProcessRun> RunAsync(string command, string directory, string source, TimeSpan timeout)
    {
        var words = command.Replace("{src}", source, StringComparison.Ordinal).Replace("{exe}", "./program", StringComparison.Ordinal)
            .Replace("{ref}", "./reference", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var assignments = words.TakeWhile(w => w.Contains('=', StringComparison.Ordinal)).ToList();
        var environment = assignments.ToDictionary(a => a[..a.IndexOf('=', StringComparison.Ordinal)], a => a[(a.IndexOf('=', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal);
        return RunAsync([.. words.Skip(assignments.Count)], directory, environment, timeout);
    }

    public static async Task<ProcessRun> RunAsync(IReadOnlyList<string> command, string directory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var program = command[0];
        var info = new ProcessStartInfo(program.StartsWith("./", StringComparison.Ordinal) ? Path.Combine(directory, program[2..]) : program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        // The agent's sandbox scrubs the environment, so messages come in the C locale unless a case asks otherwise.
        info.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var timedOut = false;
        using (var limit = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }

        // A launcher's stray descendant could hold the pipes open: never wait on them for long.
        await Task.WhenAll(stdout, stderr).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        var output = stdout.IsCompletedSuccessfully ? stdout.Result : "";
        var errors = stderr.IsCompletedSuccessfully ? stderr.Result : "";

        // As the agent's sandbox does: a program killed by signal N exits with 128 + N.
        var exitCode = process.ExitCode;
        var signal = exitCode > 128 && exitCode < 128 + 65 ? exitCode - 128 : 0;
        return new(new JobOutcome(timedOut, exitCode, signal, errors + "\n" + output), output);
    }
}
