using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Kernelsmith.Agents.Node.Hosting;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kernelsmith.Agents.Node.Tests;

/// <summary>What one job sent back: every update in order, and the result that ended the stream.</summary>
public sealed record JobCall(IReadOnlyList<JobUpdate> Updates, JobResult Result)
{
    public string Stdout => Result.Stdout.ToStringUtf8();

    public IEnumerable<ResourceSample> Samples => Updates.Where(u => u.UpdateCase == JobUpdate.UpdateOneofCase.Sample).Select(u => u.Sample);

    public string StreamedStdout => string.Concat(Updates
        .Where(u => u.UpdateCase == JobUpdate.UpdateOneofCase.Output && u.Output.Stream == OutputChunk.Types.Stream.Stdout)
        .Select(u => u.Output.Data.ToStringUtf8()));
}

/// <summary>
/// A node agent hosted in the test process as the agent binary hosts itself (Kestrel, HTTP/2 on loopback) and
/// called over real gRPC. Its silo address leads nowhere: registration keeps retrying in the background, which
/// the agent's own gRPC service does not depend on.
/// </summary>
public sealed class AgentHost : IAsyncDisposable
{
    /// <summary>Short limits, so that every hostile program meets one within a second or two.</summary>
    public static readonly IReadOnlyDictionary<string, string?> TestLimits = new Dictionary<string, string?>
    {
        [$"{AgentOptions.Section}:Limits:CpuSeconds"] = "3",
        [$"{AgentOptions.Section}:Limits:MemoryBytes"] = (256L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"{AgentOptions.Section}:Limits:Processes"] = "128",
        [$"{AgentOptions.Section}:Limits:FileSizeBytes"] = (64L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"{AgentOptions.Section}:Limits:DiskBytes"] = (128L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"{AgentOptions.Section}:Limits:OpenFiles"] = "256",
        [$"{AgentOptions.Section}:MaxOutputBytes"] = (256 << 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private AgentHost(WebApplication app, string workRoot)
    {
        _app = app;
        WorkRoot = workRoot;
        var address = app.Urls.Single();
        Port = new Uri(address).Port;
        _channel = GrpcChannel.ForAddress(address);
        Client = new NodeAgent.NodeAgentClient(_channel);
    }

    public NodeAgent.NodeAgentClient Client { get; }

    /// <summary>What the agent reports about itself when it registers with a silo.</summary>
    public AgentCapabilities Capabilities => _app.Services.GetRequiredService<AgentIdentity>().Capabilities;

    public int Port { get; }

    /// <summary>One of the agent's own services, for tests that call its parts without gRPC.</summary>
    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public string WorkRoot { get; }

    public static async Task<AgentHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var workRoot = Path.Combine(Path.GetTempPath(), $"kernelsmith-agent-tests-{Guid.NewGuid():n}");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "kernelsmith-agent-tests", Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var configuration = new Dictionary<string, string?>(TestLimits)
        {
            // The discard port: nothing answers there, so registration retries quietly and never succeeds.
            [$"{AgentOptions.Section}:Silo"] = "http://127.0.0.1:9",
            [$"{AgentOptions.Section}:Id"] = "agent-tests",
            [$"{AgentOptions.Section}:WorkRoot"] = workRoot,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders();
        builder.AddKernelsmithDefaults("kernelsmith-agent-tests");
        builder.AddNodeAgent();
        var app = builder.Build();
        app.MapNodeAgent();
        await app.StartAsync();
        return new AgentHost(app, workRoot);
    }

    /// <summary>Builds one of the test programs and returns the artifact, failing the test when it does not compile.</summary>
    public async Task<string> BuildProgramAsync(string program, string compiler = "gcc", params string[] flags)
    {
        var result = await BuildAsync(program, compiler, flags);
        Assert.True(result.Status == JobResult.Types.Status.Exited && result.ExitCode == 0 && result.ArtifactId.Length > 0,
            $"{program} did not build with {compiler}: {result.Status} {result.Message}\n{result.Stderr.ToStringUtf8()}");
        return result.ArtifactId;
    }

    public async Task<JobResult> BuildAsync(string program, string compiler, IEnumerable<string> flags, string extraSource = "")
    {
        var source = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Programs", program + ".c")) + extraSource;
        var job = new BuildJob { JobId = $"build-{program}", Compiler = compiler, TimeoutMs = 60_000 };
        job.Files.Add(new SourceFile { Path = program + ".c", Content = ByteString.CopyFromUtf8(source) });
        job.Flags.AddRange(["-O1", .. flags]);
        return (await CallAsync(Client.Build(job))).Result;
    }

    public Task<JobCall> RunAsync(string artifactId, int timeoutMs, params string[] args) =>
        RunAsync(Job(artifactId, timeoutMs, args));

    public async Task<JobCall> RunAsync(RunJob job) => await CallAsync(Client.Run(job));

    public static RunJob Job(string artifactId, int timeoutMs, params string[] args)
    {
        var job = new RunJob { JobId = $"run-{Guid.NewGuid():n}", ArtifactId = artifactId, TimeoutMs = timeoutMs, Threads = 1, Ranks = 1, Launcher = Launchers.Plain };
        job.Args.AddRange(args);
        return job;
    }

    public static async Task<JobCall> CallAsync(AsyncServerStreamingCall<JobUpdate> call, Func<JobUpdate, Task>? onUpdate = null)
    {
        using (call)
        {
            var updates = new List<JobUpdate>();
            await foreach (var update in call.ResponseStream.ReadAllAsync())
            {
                updates.Add(update);
                if (onUpdate is not null)
                {
                    await onUpdate(update);
                }

                if (update.UpdateCase == JobUpdate.UpdateOneofCase.Result)
                {
                    return new JobCall(updates, update.Result);
                }
            }

            throw new InvalidOperationException("the agent closed the stream without a result");
        }
    }

    /// <summary>The processes on this machine whose command line holds the marker (zombies have none and do not count).</summary>
    public static IReadOnlyList<int> ProcessesMarked(string marker)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(directory, "cmdline")));
                if (commandLine.Contains(marker, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }

    /// <summary>Runs a well-behaved program: the agent is still fine after whatever ran before.</summary>
    public async Task AssertServesNormalJobAsync()
    {
        var hello = await BuildProgramAsync("hello");
        var call = await RunAsync(hello, 10_000);
        Assert.Equal(JobResult.Types.Status.Exited, call.Result.Status);
        Assert.Equal(0, call.Result.ExitCode);
        Assert.Equal("hello from the sandbox\n", call.Stdout);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(WorkRoot, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One agent for all tests, with a secret in the environment it must never pass on.</summary>
public sealed class AgentFixture : IAsyncLifetime
{
    public const string SecretVariable = "KERNELSMITH_TEST_SECRET";

    public string Secret { get; } = $"s3cr3t-{Guid.NewGuid():n}";

    public AgentHost Agent { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(SecretVariable, Secret);
        Agent = await AgentHost.StartAsync();
    }

    public async Task DisposeAsync() => await Agent.DisposeAsync();
}

/// <summary>The agent tests share one agent and run one at a time: several at once would fight over two cores.</summary>
[CollectionDefinition(Name)]
public sealed class AgentCollection : ICollectionFixture<AgentFixture>
{
    public const string Name = "agent";
}
