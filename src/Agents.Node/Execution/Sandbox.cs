using System.Diagnostics;

namespace Kernelsmith.Agents.Node.Execution;

/// <summary>What a sandboxed command should do.</summary>
public sealed record SandboxCommand(
    string WorkDirectory,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Environment,
    byte[] Stdin,
    TimeSpan Timeout,
    int MaxOutputBytes);

/// <summary>What a sandboxed command did.</summary>
public sealed record SandboxOutcome(
    bool TimedOut,
    int ExitCode,
    int Signal,
    byte[] Stdout,
    byte[] Stderr,
    bool StdoutTruncated,
    bool StderrTruncated,
    TimeSpan Wall);

/// <summary>
/// Runs untrusted commands under bubblewrap: a read-only system, no network, private /tmp and process
/// namespace, the work directory the only writable place (seen inside as <c>/sandbox</c>), a scrubbed
/// environment, and a wall-clock limit that kills the whole process tree — orphans included, since
/// they die with the namespace.
/// </summary>
public sealed class Sandbox
{
    public const string InsidePath = "/sandbox";
    private const string SearchPath = "/usr/local/bin:/usr/bin:/bin";

    private static readonly string[] s_systemBinds = ["/etc/alternatives", "/etc/ld.so.cache", "/etc/openmpi", "/etc/mpich"];

    private static readonly Lazy<bool> s_available = new(() => Capabilities.CapabilityProbe.Version("bwrap", "--version") is not null);

    public static bool IsAvailable => s_available.Value;

    public async Task<SandboxOutcome> RunAsync(SandboxCommand command, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("bwrap")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in BwrapArguments(command))
        {
            info.ArgumentList.Add(argument);
        }

        // The agent's own environment (tokens, keys, credentials) never reaches the program.
        info.Environment.Clear();
        info.Environment["PATH"] = SearchPath;

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bwrap did not start");
        var stdout = new CappedBuffer(command.MaxOutputBytes);
        var stderr = new CappedBuffer(command.MaxOutputBytes);
        var readOut = stdout.DrainAsync(process.StandardOutput.BaseStream);
        var readErr = stderr.DrainAsync(process.StandardError.BaseStream);
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(command.Stdin, cancellationToken);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited without reading its input.
        }

        var timedOut = false;
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            limit.CancelAfter(command.Timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = !cancellationToken.IsCancellationRequested;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }

        var wall = clock.Elapsed;
        await Task.WhenAll(readOut, readErr).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        cancellationToken.ThrowIfCancellationRequested();
        var (exitCode, signal) = Decode(process.ExitCode);
        return new SandboxOutcome(timedOut, exitCode, signal, stdout.ToArray(), stderr.ToArray(), stdout.Truncated, stderr.Truncated, wall);
    }

    private static IEnumerable<string> BwrapArguments(SandboxCommand command)
    {
        string[] fixedArguments =
        [
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/bin", "/bin",
            "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/sbin", "/sbin",
            "--dev", "/dev",
            "--proc", "/proc",
            // Read-only: MPI's hwloc reads the CPU topology here.
            "--ro-bind", "/sys", "/sys",
            "--tmpfs", "/tmp",
            "--bind", command.WorkDirectory, InsidePath,
            "--chdir", InsidePath,
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--cap-drop", "ALL",
            "--setenv", "HOME", InsidePath,
            "--setenv", "TMPDIR", "/tmp",
        ];
        foreach (var argument in fixedArguments)
        {
            yield return argument;
        }

        foreach (var bind in s_systemBinds.Where(Path.Exists))
        {
            yield return "--ro-bind";
            yield return bind;
            yield return bind;
        }

        foreach (var (name, value) in command.Environment)
        {
            yield return "--setenv";
            yield return name;
            yield return value;
        }

        yield return "--";
        foreach (var part in command.Command)
        {
            yield return part;
        }
    }

    /// <summary>bwrap reports a program killed by signal N as exit code 128 + N, as shells do.</summary>
    private static (int ExitCode, int Signal) Decode(int exitCode) =>
        exitCode > 128 && exitCode < 128 + 65 ? (exitCode, exitCode - 128) : (exitCode, 0);

    private sealed class CappedBuffer(int capacity)
    {
        private readonly MemoryStream _kept = new();

        public bool Truncated { get; private set; }

        public async Task DrainAsync(Stream stream)
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                var room = (int)Math.Min(read, capacity - _kept.Length);
                if (room > 0)
                {
                    _kept.Write(buffer, 0, room);
                }

                Truncated |= room < read;
            }
        }

        public byte[] ToArray() => _kept.ToArray();
    }
}
