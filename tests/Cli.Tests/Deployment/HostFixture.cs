using System.Diagnostics;
using System.Net;
using Kernelsmith.Cli.Tests.Cluster;

namespace Kernelsmith.Cli.Tests.Deployment;

/// <summary>
/// Redis and a silo configured as a container is: through environment variables only, no flag. Tests start more
/// hosts beside it (each a separate <c>kernelsmith</c> process), stop and restart Redis.
/// </summary>
public sealed class HostFixture : IAsyncLifetime
{
    private readonly List<Process> _hosts = [];
    private Process? _redis;

    public string Work { get; } = ClusterFixture.EnterableDirectory();

    public int RedisPort { get; } = LoopbackPort.Free();

    public string ClusterId { get; } = "env-" + Guid.NewGuid().ToString("n")[..8];

    public int SiloPort { get; } = LoopbackPort.Free();

    public int GatewayPort { get; } = LoopbackPort.Free();

    public int SiloHealthPort { get; } = LoopbackPort.Free();

    public string SiloUrl { get; } = $"http://127.0.0.1:{LoopbackPort.Free()}";

    public async Task InitializeAsync()
    {
        await StartRedisAsync();
        StartHost("silo", "silo", [], new()
        {
            ["ASPNETCORE_URLS"] = SiloUrl,
            ["Silo__Redis"] = $"127.0.0.1:{RedisPort}",
            ["Silo__ClusterId"] = ClusterId,
            ["Silo__SiloPort"] = SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo__GatewayPort"] = GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Health__Port"] = SiloHealthPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await ClusterFixture.WaitUntilAsync(async () => await Probe.StatusAsync(SiloHealthPort, "/health") == HttpStatusCode.OK,
            TimeSpan.FromMinutes(3), $"the silo to be ready (log: {Path.Combine(Work, "silo.log")})");
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            Stop(host);
        }

        await StopRedisAsync();
    }

    /// <summary>Starts <c>kernelsmith VERB ARGS</c> with exactly this environment added, its output in WORK/NAME.log.</summary>
    public void StartHost(string name, string verb, IEnumerable<string> arguments, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("bash") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"exec dotnet {Path.Combine(AppContext.BaseDirectory, "kernelsmith.dll")} \"$@\" >> {Path.Combine(Work, name + ".log")} 2>&1");
        info.ArgumentList.Add("kernelsmith");
        info.ArgumentList.Add(verb);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        _hosts.Add(Process.Start(info)!);
    }

    public async Task StartRedisAsync()
    {
        _redis = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", RedisPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", Work, "--save", "", "--appendonly", "yes"])
            { RedirectStandardOutput = true });
        await ClusterFixture.WaitUntilAsync(async () => await RedisAnswersAsync(), TimeSpan.FromSeconds(20), "redis to start");
    }

    public async Task StopRedisAsync()
    {
        if (_redis is { } redis)
        {
            Stop(redis);
            await redis.WaitForExitAsync();
            _redis = null;
        }
    }

    /// <summary>The keys Redis holds, e.g. Orleans' membership table <c>SERVICE/members/CLUSTER</c>.</summary>
    public async Task<string> RedisAsync(params string[] command)
    {
        using var cli = Process.Start(new ProcessStartInfo("redis-cli", ["-p", RedisPort.ToString(System.Globalization.CultureInfo.InvariantCulture), .. command])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return output;
    }


    private async Task<bool> RedisAnswersAsync()
    {
        try
        {
            return (await RedisAsync("ping")).Contains("PONG", StringComparison.Ordinal);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static void Stop(Process process)
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
}
