using System.Diagnostics;
using System.Text;

namespace Kernelsmith.Cli.Tests.Telemetry;

/// <summary>
/// <c>kernelsmith agent --silo URL --pool POOL</c> in a process of its own, as on a real node: it reaches the silo only
/// over gRPC, and exports its own telemetry. Stopped with SIGTERM, so it shuts down cleanly and flushes what it holds.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>What the agent wrote to its console: for the message of a failing assertion.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static AgentProcess Start(string siloUrl, string pool, string id, string workRoot, IReadOnlyDictionary<string, string> environment, params string[] options)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "kernelsmith.dll"), "agent", "--silo", siloUrl, "--pool", pool, "--id", id }.Concat(options))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["Agent__WorkRoot"] = workRoot;
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return new AgentProcess(Process.Start(info)!);
    }

    /// <summary>Asks the agent to stop (SIGTERM) and waits for it; kills it when it does not stop in time.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
