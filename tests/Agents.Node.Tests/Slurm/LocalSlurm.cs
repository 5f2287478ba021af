using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Kernelsmith.Agents.Node.Tests.Slurm;

/// <summary>
/// A private single-node Slurm on localhost: its own munge key and munged socket, a slurm.conf in a temp directory
/// (this host as the only node, with all its CPUs; free ports; no cgroups: linuxproc process tracking, no task
/// plugin, no accounting) and slurmctld and slurmd in the foreground as child processes. Nothing of the machine's
/// own Slurm or munge configuration is used or touched. Starting fails with the daemons' logs when the node does
/// not come up idle.
/// </summary>
public sealed class LocalSlurm : IAsyncDisposable
{
    public const string Partition = "kstest";

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    private readonly List<Process> _daemons = [];

    private LocalSlurm(string directory)
    {
        Root = directory;
        Config = Path.Combine(directory, "slurm.conf");
        Node = Environment.MachineName.Split('.')[0];
    }

    /// <summary>The temp directory holding configuration, state, spool and logs.</summary>
    public string Root { get; }

    /// <summary>The slurm.conf Slurm's commands read (as SLURM_CONF).</summary>
    public string Config { get; }

    /// <summary>The only node: this host, by its short name, as slurmd calls itself.</summary>
    public string Node { get; }

    public static async Task<LocalSlurm> StartAsync()
    {
        // Others must pass through (jobs run as an unprivileged user and the munge socket is reached by path).
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"kernelsmith-slurm-{Guid.NewGuid():n}")).FullName;
        var slurm = new LocalSlurm(directory);
        try
        {
            await slurm.StartDaemonsAsync();
            return slurm;
        }
        catch
        {
            await slurm.DisposeAsync();
            throw;
        }
    }

    /// <summary>What a Slurm command prints, run against this cluster; the test fails when it does not succeed.</summary>
    public async Task<string> CommandAsync(string tool, params string[] args)
    {
        var (exitCode, output) = await RunAsync(tool, args);
        Assert.True(exitCode == 0, $"{tool} {string.Join(' ', args)} failed ({exitCode}): {output}");
        return output;
    }

    /// <summary>The jobs slurmctld still has pending, running or completing.</summary>
    public async Task<string> QueueAsync() => (await CommandAsync("squeue", "--noheader", "--format=%i %j %T")).Trim();

    private async Task StartDaemonsAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the test's Slurm runs on Linux only");
        }

        var munge = Directory.CreateDirectory(Path.Combine(Root, "munge")).FullName;
        var secret = Directory.CreateDirectory(Path.Combine(Root, "secret")).FullName;
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var key = Path.Combine(secret, "munge.key");
        await File.WriteAllBytesAsync(key, RandomNumberGenerator.GetBytes(1024));
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        foreach (var folder in new[] { "state", "spool", "log" })
        {
            Directory.CreateDirectory(Path.Combine(Root, folder));
        }

        var socket = Path.Combine(munge, "munge.socket");
        var (controllerPort, nodePort) = (FreePort(), FreePort());
        await File.WriteAllTextAsync(Config, $"""
            ClusterName=kernelsmith-tests
            SlurmctldHost={Node}(127.0.0.1)
            SlurmctldPort={controllerPort}
            SlurmdPort={nodePort}
            AuthType=auth/munge
            CredType=cred/munge
            AuthInfo=socket={socket}
            SlurmUser=root
            SlurmdUser=root
            StateSaveLocation={Root}/state
            SlurmdSpoolDir={Root}/spool
            SlurmctldPidFile={Root}/slurmctld.pid
            SlurmdPidFile={Root}/slurmd.pid
            SlurmctldLogFile={Root}/log/slurmctld.log
            SlurmdLogFile={Root}/log/slurmd.log
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            SchedulerType=sched/backfill
            AccountingStorageType=accounting_storage/none
            JobAcctGatherType=jobacct_gather/none
            JobCompType=jobcomp/none
            MpiDefault=none
            ReturnToService=2
            InactiveLimit=0
            KillWait=2
            MinJobAge=10
            NodeName={Node} NodeAddr=127.0.0.1 CPUs={Environment.ProcessorCount} State=UNKNOWN
            PartitionName={Partition} Nodes={Node} Default=YES MaxTime=INFINITE State=UP

            """);

        Start("munged", "--foreground", "--force", $"--socket={socket}", $"--key-file={key}", $"--log-file={Root}/log/munged.log",
            $"--pid-file={munge}/munged.pid", $"--seed-file={secret}/munged.seed");
        await WaitAsync(() => File.Exists(socket), "munged to create its socket");
        Start("slurmctld", "-D", "-i", "-f", Config);
        Start("slurmd", "-D", "-f", Config);
        await WaitAsync(async () => (await RunAsync("sinfo", "--noheader", $"--nodes={Node}", "--format=%T")).Output.Trim() == "idle", $"node {Node} to be idle in sinfo");
    }

    private void Start(string daemon, params string[] args)
    {
        var info = new ProcessStartInfo(daemon)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["SLURM_CONF"] = Config;
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var log = Path.Combine(Root, "log", daemon + ".out");
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{daemon} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{daemon} cannot be started ({e.Message}): scripts/install-deps.sh --tests installs Slurm and munge", e);
        }

        _daemons.Add(process);
        _ = CopyAsync(process.StandardOutput, log + ".stdout");
        _ = CopyAsync(process.StandardError, log + ".stderr");
    }

    private static async Task CopyAsync(StreamReader from, string path)
    {
        await using var to = File.CreateText(path);
        to.AutoFlush = true;
        while (await from.ReadLineAsync() is { } line)
        {
            await to.WriteLineAsync(line);
        }
    }

    private Task WaitAsync(Func<bool> condition, string what) => WaitAsync(() => Task.FromResult(condition()), what);

    private async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > s_startTimeout || _daemons.FirstOrDefault(d => d.HasExited) is not null)
            {
                throw new InvalidOperationException($"the test's Slurm did not start: waited {clock.Elapsed.TotalSeconds:0} s for {what}\n{Logs()}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Every daemon's state and log, for a failure message.</summary>
    private string Logs()
    {
        var text = new StringBuilder();
        foreach (var daemon in _daemons)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{daemon.StartInfo.FileName}: {(daemon.HasExited ? $"exited with {daemon.ExitCode}" : "running")}");
        }

        foreach (var log in Directory.EnumerateFiles(Path.Combine(Root, "log")).Order(StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"--- {Path.GetFileName(log)} ---");
            text.AppendLine(string.Join('\n', File.ReadLines(log).TakeLast(40)));
        }

        return text.ToString();
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["SLURM_CONF"] = Config;
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, stdout + await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        // The node first (and the job steps under it), the controller next, munge last: each needs the one after it.
        foreach (var daemon in Enumerable.Reverse(_daemons))
        {
            if (!daemon.HasExited)
            {
                daemon.Kill(entireProcessTree: true);
            }

            await daemon.WaitForExitAsync();
            daemon.Dispose();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
