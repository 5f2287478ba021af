using System.Diagnostics;

namespace Kernelsmith.Cli.Bench;

/// <summary>
/// <c>bench --dashboard</c>'s viewer: Debian's headless chromium on a dashboard page, a real browser holding its live
/// stream (and running its script) for as long as the bench runs, then stopped with its whole process tree.
/// </summary>
internal sealed class WatchingBrowser(string profile) : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    private Process? _process;

    public void Open(string url)
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"bench --dashboard needs {Chromium} (apt-get install chromium) to watch the dashboard");
        }

        var info = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--remote-debugging-port=0", "--window-size=1280,900", $"--user-data-dir={profile}", url,
        })
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException($"{Chromium} did not start");
        // Its logging is not the bench's: read and dropped, so a full pipe never stalls it.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }
}
