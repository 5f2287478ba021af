using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Kernelsmith.Dashboard.Tests;

/// <summary>
/// <c>kernelsmith run dashboard.yaml --dashboard</c> as a user starts it, in a process of its own: a real embedded silo
/// and agent running a simulated sweep, its dashboard's sign-in URL read from what it prints.
/// </summary>
public sealed partial class DashboardRun : IAsyncLifetime
{
    private readonly List<string> _lines = [];
    private Process? _process;

    /// <summary>The sign-in URL with the run's login token, as printed.</summary>
    public string LoginUrl { get; private set; } = "";

    /// <summary>The dashboard's root, e.g. <c>http://127.0.0.1:PORT</c>.</summary>
    public string BaseUrl => LoginUrl[..LoginUrl.IndexOf("/login", StringComparison.Ordinal)];

    /// <summary>The run's results directory.</summary>
    public string Output { get; } = Directory.CreateTempSubdirectory("kernelsmith-dashboard-out-").FullName;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public async Task InitializeAsync()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "kernelsmith.dll"), "run", Path.Combine(AppContext.BaseDirectory, "TestData", "dashboard.yaml"),
            "--kernels", Path.Combine(Repository.Root, "kernels"), "--prompts", Path.Combine(Repository.Root, "prompts"), "--out", Path.Combine(Output, "results"), "--dashboard" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["COLUMNS"] = "200";
        _process = new Process { StartInfo = info };
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Add(line);
            }

            if (DashboardLine().Match(line) is { Success: true } match)
            {
                found.TrySetResult(match.Groups[1].Value);
            }
        }

        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(found.Task, exited, Task.Delay(TimeSpan.FromMinutes(3)));
        Assert.True(first == found.Task, $"kernelsmith run --dashboard printed no dashboard URL:\n{string.Join('\n', Lines)}");
        LoginUrl = await found.Task;
    }

    /// <summary>Waits until a printed line satisfies <paramref name="predicate"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan limit)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < limit)
        {
            if (Lines.FirstOrDefault(predicate) is { } line)
            {
                return line;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"no such line within {limit}:\n{string.Join('\n', Lines)}");
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            // Ctrl-C, as a user stops it; then the whole tree if it does not leave.
            Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process?.Dispose();
    }

    [GeneratedRegex(@"^Dashboard: (http://127\.0\.0\.1:\d+/login\?token=[0-9a-f]+)$")]
    private static partial Regex DashboardLine();
}
