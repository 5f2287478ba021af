using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Kernelsmith.Cli.Tests.Cluster;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Cli.Tests.Security;

/// <summary>
/// A silo process on loopback with Redis, started as an operator would on a shared network: a cluster token, three
/// users (alice, bob, and ops, an admin) with tokens of their own, and one named model credential bound to one endpoint.
/// A loopback listener stands for an attacker's endpoint: it counts every connection it is offered.
/// </summary>
public sealed class SecureSiloFixture : IAsyncLifetime
{
    public const string ApiKey = "sk-operator-key-never-leaves-4711";
    public const string SiloSecretVariable = "KERNELSMITH_TEST_SILO_SECRET";
    public const string SiloSecret = "silo-environment-secret-0815";

    private readonly List<Process> _processes = [];

    public string Work { get; } = ClusterFixture.EnterableDirectory();

    public int RedisPort { get; } = LoopbackPort.Free();

    public string SiloUrl { get; } = $"http://127.0.0.1:{LoopbackPort.Free()}";

    public Dictionary<string, string> Tokens { get; } = new()
    {
        ["cluster"] = "cluster-" + Guid.NewGuid().ToString("n"),
        ["alice"] = "alice-" + Guid.NewGuid().ToString("n"),
        ["bob"] = "bob-" + Guid.NewGuid().ToString("n"),
        ["ops"] = "ops-" + Guid.NewGuid().ToString("n"),
    };

    /// <summary>The endpoint the operator's credential <c>lab</c> is bound to.</summary>
    public Llm.FakeOpenAiServer Lab { get; private set; } = null!;

    /// <summary>The endpoint of credential <c>revoked</c>, whose key the endpoint no longer accepts.</summary>
    public Llm.FakeOpenAiServer Revoked { get; private set; } = null!;

    /// <summary>An endpoint no credential is bound to: it must never be offered a request carrying one.</summary>
    public LoopbackListener Thief { get; } = new();

    public string TokenFile(string who) => Path.Combine(Work, $"{who}.token");

    public async Task InitializeAsync()
    {
        Lab = await Llm.FakeOpenAiServer.StartAsync();
        Revoked = await Llm.FakeOpenAiServer.StartAsync();
        Revoked.RequiredKey = "sk-the-current-key";
        foreach (var (who, token) in Tokens)
        {
            await File.WriteAllTextAsync(TokenFile(who), token + "\n");
        }

        var keyFile = Path.Combine(Work, "lab.key");
        await File.WriteAllTextAsync(keyFile, ApiKey);
        var config = Path.Combine(Work, "silo.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Cluster"] = new Dictionary<string, object>
            {
                ["Users"] = new Dictionary<string, object>
                {
                    ["alice"] = new { TokenFile = TokenFile("alice") },
                    ["bob"] = new { Token = Tokens["bob"] },
                    ["ops"] = new { TokenFile = TokenFile("ops"), Admin = true },
                },
            },
            ["Credentials"] = new Dictionary<string, object>
            {
                ["lab"] = new { KeyFile = keyFile, Endpoints = new[] { Lab.Endpoint } },
                ["revoked"] = new { Key = "sk-revoked-last-month", Endpoints = new[] { Revoked.Endpoint } },
            },
        }));

        Start("redis-server", $"--port {RedisPort} --bind 127.0.0.1 --dir {Work} --save \"\" --appendonly no");
        Start("dotnet", $"{Path.Combine(AppContext.BaseDirectory, "kernelsmith.dll")} silo --listen {SiloUrl} --redis 127.0.0.1:{RedisPort} " +
            $"--silo-port {LoopbackPort.Free()} --gateway-port {LoopbackPort.Free()} --cluster-id secure-{Guid.NewGuid():n} --token-file {TokenFile("cluster")} --config {config}",
            ("OPENAI_API_KEY", ApiKey), (SiloSecretVariable, SiloSecret));
        await ClusterFixture.WaitUntilAsync(async () =>
        {
            try
            {
                await Client("cluster").ListAgentsAsync(new ListAgentsRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
                return true;
            }
            catch (RpcException)
            {
                return false;
            }
        }, TimeSpan.FromMinutes(3), $"the silo at {SiloUrl} to serve (log: {Path.Combine(Work, "silo.log")})");
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
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

        Thief.Dispose();
        await Lab.DisposeAsync();
        await Revoked.DisposeAsync();
    }

    /// <summary>A sweep API client presenting <paramref name="who"/>'s token, a made-up one, or none (null).</summary>
    public SweepService.SweepServiceClient Client(string? who, string? rawToken = null)
    {
        var channel = GrpcChannel.ForAddress(SiloUrl);
        var token = rawToken ?? (who is null ? null : Tokens[who]);
        return new SweepService.SweepServiceClient(token is null
            ? channel.CreateCallInvoker()
            : channel.CreateCallInvoker().Intercept(metadata =>
            {
                metadata.Add("authorization", $"Bearer {token}");
                return metadata;
            }));
    }

    /// <summary>A sweep spec file with one sim model plus <paramref name="models"/> (YAML list items).</summary>
    public async Task<string> SpecAsync(string name, string models = "")
    {
        var spec = Path.Combine(Work, name + ".yaml");
        await File.WriteAllTextAsync(spec, $"""
            name: {name}
            kernels: [gemm]
            technologies: [openmp]
            models:
              - {"{ id: expert, provider: sim, behaviour: expert }"}
            {models}
            samples: 1
            verify: {"{ amplify: false, sanitizers: [] }"}
            run: {"{ input: tiny, threads: [1], repetitions: 1, timeout: 30, max_pairs: 1, warmups: 0, expert: false }"}
            """);
        return spec;
    }

    /// <summary>The kernel files a submission carries, as the CLI sends them.</summary>
    public static IEnumerable<SourceFile> GemmFiles()
    {
        var folder = Path.Combine(Repository.Kernels, "gemm");
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(file => new SourceFile
        {
            Path = $"kernels/gemm/{Path.GetRelativePath(folder, file)}",
            Content = Google.Protobuf.ByteString.CopyFrom(File.ReadAllBytes(file)),
        });
    }

    private void Start(string program, string arguments, params (string Name, string Value)[] environment) =>
        _processes.Add(LoggedProcess.Start(Path.Combine(Work, (program == "dotnet" ? "silo" : program) + ".log"), program, arguments, environment));
}

/// <summary>A TCP listener on loopback that accepts and counts every connection, keeping what it was sent.</summary>
public sealed class LoopbackListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    public LoopbackListener()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1";

    public int Connections => Volatile.Read(ref _connections);

    public System.Collections.Concurrent.ConcurrentQueue<string> Received { get; } = new();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                _ = Task.Run(async () =>
                {
                    using var _ = client;
                    var buffer = new byte[8192];
                    var read = await client.GetStream().ReadAsync(buffer, _stop.Token);
                    Received.Enqueue(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
                });
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }
}
