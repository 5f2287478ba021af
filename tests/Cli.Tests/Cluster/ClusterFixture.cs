using System.Diagnostics;
using Grpc.Net.Client;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Cli.Tests.Cluster;

/// <summary>
/// A real cluster on loopback, as separate processes: Redis (append-only file on), three silos that cluster
/// through it, and two node agents. Tests kill and restart its parts.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly string _clusterId = "test-" + Guid.NewGuid().ToString("n")[..8];
    private readonly Dictionary<string, Process> _processes = [];
    private readonly int[] _gatewayPorts = new int[3];

    public string Work { get; } = EnterableDirectory();

    public int RedisPort { get; } = LoopbackPort.Free();

    public IReadOnlyList<int> SiloPorts { get; } = [LoopbackPort.Free(), LoopbackPort.Free(), LoopbackPort.Free()];

    public string SiloUrl(int silo) => $"http://127.0.0.1:{SiloPorts[silo]}";

    public async Task InitializeAsync()
    {
        StartRedis();
        await WaitUntilAsync(() => Task.FromResult(RedisAnswers()), TimeSpan.FromSeconds(20), "redis to start");
        for (var silo = 0; silo < 3; silo++)
        {
            StartSilo(silo);
        }

        StartAgent("agent-a", silo: 0);
        StartAgent("agent-b", silo: 2);
        // Five processes starting at once on a loaded machine: give them time, it measures nothing.
        await WaitForAgentsAsync(2, TimeSpan.FromMinutes(5));
    }

    public Task DisposeAsync()
    {
        foreach (var process in _processes.Values)
        {
            Kill(process);
        }

        Run("redis-cli", $"-p {RedisPort} shutdown nosave");
        return Task.CompletedTask;
    }

    public void StartRedis() => Start("redis", "redis-server",
        $"--port {RedisPort} --bind 127.0.0.1 --dir {Work} --appendonly yes --appendfsync always --save \"\"");

    public void StopRedis()
    {
        Run("redis-cli", $"-p {RedisPort} shutdown");
        _processes.Remove("redis");
    }

    public void StartSilo(int silo)
    {
        _gatewayPorts[silo] = LoopbackPort.Free();
        Start($"silo{silo}", "dotnet",
            $"{Kernelsmith} silo --listen {SiloUrl(silo)} --redis 127.0.0.1:{RedisPort} --silo-port {LoopbackPort.Free()} --gateway-port {_gatewayPorts[silo]} --cluster-id {_clusterId}");
    }

    /// <summary>
    /// The status the cluster's membership table in Redis gives the last process of <paramref name="silo"/> (Orleans'
    /// SiloStatus: 3 active, 6 dead); null when it has no row yet.
    /// </summary>
    public int? MembershipStatus(int silo)
    {
        var fields = Run("redis-cli", $"-p {RedisPort} --raw HGETALL kernelsmith/members/{_clusterId}").Split('\n', StringSplitOptions.TrimEntries);
        foreach (var value in fields.Where(f => f.StartsWith('{')))
        {
            using var row = System.Text.Json.JsonDocument.Parse(value);
            if (row.RootElement.TryGetProperty("ProxyPort", out var port) && port.GetInt32() == _gatewayPorts[silo])
            {
                return row.RootElement.GetProperty("Status").GetInt32();
            }
        }

        return null;
    }

    /// <summary>An agent that registers with <paramref name="silo"/>, and with the others in turn while that one is down.</summary>
    public void StartAgent(string id, int silo) => Start(id, "dotnet",
        $"{Kernelsmith} agent --silo {string.Join(',', Enumerable.Range(0, 3).Select(s => SiloUrl((silo + s) % 3)))} --pool {id} --id {id}",
        ("Agent__WorkRoot", Path.Combine(Work, id)));

    /// <summary>SIGKILL: no shutdown, no goodbye to the cluster.</summary>
    public void Kill(string name)
    {
        Kill(_processes[name]);
        _processes.Remove(name);
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod: the process shuts down gracefully; returns its exit code once it has exited.</summary>
    public async Task<int> TerminateAsync(string name, TimeSpan limit)
    {
        var process = _processes[name];
        _processes.Remove(name);
        Run("kill", $"-TERM {process.Id}");
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw new TimeoutException($"{name} did not exit within {limit} of SIGTERM");
        }

        return process.ExitCode;
    }

    public bool IsRunning(string name) => _processes.ContainsKey(name);

    public Task<string> SubmitAsync(string name, int samples, string model = "{ id: expert, provider: sim, behaviour: expert }") =>
        SubmitAsync(name, samples, [model]);

    public async Task<string> SubmitAsync(string name, int samples, IReadOnlyList<string> models)
    {
        var spec = Path.Combine(Work, name + ".yaml");
        await File.WriteAllTextAsync(spec, $"""
            name: {name}
            kernels: [gemm]
            technologies: [openmp]
            models:
            {string.Join("\n", models.Select(m => $"  - {m}"))}
            samples: {samples}
            verify:
              amplify: false
              sanitizers: []
            run:
              input: tiny
              threads: [1, 2]
              repetitions: 2
              max_pairs: 1
              warmups: 0
              expert: false
              timeout: 30
            """);
        // As a user would, retry while a restarted part of the cluster is still settling.
        var output = "";
        await WaitUntilAsync(async () =>
        {
            var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync("submit", spec, "--cluster", SiloUrl(0), "--kernels", Repository.Kernels);
            output = exit == 0 ? stdout : stdout + stderr;
            return exit == 0;
        }, TimeSpan.FromMinutes(2), $"submit of {name}: {output}");
        return output.Trim().Split('\n')[^1].Trim();
    }

    /// <summary>Runs a CLI verb against the cluster, retrying while a restarted part of it is still settling.</summary>
    public async Task<string> CliAsync(params string[] args)
    {
        var output = "";
        await WaitUntilAsync(async () =>
        {
            var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(args);
            output = exit == 0 ? stdout : stdout + stderr;
            return exit == 0;
        }, TimeSpan.FromMinutes(2), $"kernelsmith {string.Join(' ', args)}: {output}");
        return output;
    }

    /// <summary>The sweep's status through any silo that answers; null while none does.</summary>
    public async Task<SweepStatus?> StatusAsync(string sweepId)
    {
        foreach (var silo in Enumerable.Range(0, 3).Where(s => _processes.ContainsKey($"silo{s}")))
        {
            try
            {
                using var channel = GrpcChannel.ForAddress(SiloUrl(silo));
                return await new SweepService.SweepServiceClient(channel).StatusAsync(new SweepRef { SweepId = sweepId }, deadline: DateTime.UtcNow.AddSeconds(20));
            }
            catch (Grpc.Core.RpcException)
            {
            }
        }

        return null;
    }

    public Task WaitForRecordedAsync(string sweepId, int recorded, TimeSpan limit) => WaitUntilAsync(
        async () => await StatusAsync(sweepId) is { } status && status.Recorded >= recorded, limit, $"{recorded} records of {sweepId}");

    /// <summary>
    /// Fetches the results as a user would, retrying while the cluster has not yet declared a killed silo dead
    /// (until then, grains that lived there do not answer).
    /// </summary>
    public async Task<IReadOnlyList<Contracts.Experiments.ExperimentRecord>> ResultsAsync(string sweepId, int silo)
    {
        var output = Path.Combine(Work, "results-" + Guid.NewGuid().ToString("n")[..6]);
        var failure = "";
        await WaitUntilAsync(async () =>
        {
            var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync("results", sweepId, "--cluster", SiloUrl(silo), "--out", output);
            failure = stdout + stderr;
            return exit == 0;
        }, TimeSpan.FromMinutes(2), $"results of {sweepId}: {failure}");
        return new Kernelsmith.Results.ResultsDirectory(output).ReadRecords();
    }

    /// <summary>Waits until a silo answers the sweep API.</summary>
    public async Task WaitForSiloAsync(int silo) => await WaitUntilAsync(async () =>
    {
        var (exit, _, _) = await CommandLineTests.KernelsmithAsync("agents", "--cluster", SiloUrl(silo));
        return exit == 0;
    }, TimeSpan.FromMinutes(2), $"silo {silo} to serve");

    public async Task WaitForAgentsAsync(int count, TimeSpan? limit = null) => await WaitUntilAsync(async () =>
    {
        var (exit, stdout, _) = await CommandLineTests.KernelsmithAsync("agents", "--cluster", SiloUrl(0));
        return exit == 0 && stdout.Contains($"{count} agent(s)", StringComparison.Ordinal);
    }, limit ?? TimeSpan.FromMinutes(2), $"{count} agents to register");

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"waited {limit} for {what}");
            }

            await Task.Delay(500);
        }
    }

    private static string Kernelsmith => Path.Combine(AppContext.BaseDirectory, "kernelsmith.dll");

    private void Start(string name, string program, string arguments, params (string Name, string Value)[] environment) =>
        _processes[name] = LoggedProcess.Start(Path.Combine(Work, name + ".log"), program, arguments, environment);

    private bool RedisAnswers() => Run("redis-cli", $"-p {RedisPort} ping").Contains("PONG", StringComparison.Ordinal);

    private static string Run(string program, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(10_000);
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>Agents run jobs as an unprivileged user, who must be able to pass through to the work directories.</summary>
    internal static string EnterableDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("kernelsmith-cluster-");
        if (!OperatingSystem.IsWindows())
        {
            directory.UnixFileMode |= UnixFileMode.OtherExecute | UnixFileMode.GroupExecute;
        }

        return directory.FullName;
    }

}
