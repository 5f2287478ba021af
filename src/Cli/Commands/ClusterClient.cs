using System.CommandLine;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Contracts.Security;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Cli.Commands;

/// <summary>
/// The sweep API of a cluster reached through any of several silos (<c>--cluster URL[,URL...]</c>). A silo that dies
/// or cannot answer is left for the next one given, and the list is tried again until one answers or the patience
/// passes with none answering; a refusal (bad spec, unknown sweep, no or a wrong token) is final. Every call presents the
/// caller's token: from <c>--token-file</c>, else <c>$KERNELSMITH_TOKEN</c>, else none (an open cluster).
/// </summary>
internal sealed class ClusterClient : IDisposable
{
    /// <summary>A one-off request's patience: a silo restarting, not a typing mistake, is worth waiting for this long.</summary>
    public static readonly TimeSpan RequestPatience = TimeSpan.FromSeconds(30);

    /// <summary>A watch's patience: longer than a silo takes to restart, and a Redis restart to be ridden out.</summary>
    public static readonly TimeSpan WatchPatience = TimeSpan.FromMinutes(3);

    public const string TokenVariable = "KERNELSMITH_TOKEN";

    private readonly TimeSpan _patience;
    private readonly List<GrpcChannel> _channels;
    private readonly List<CallInvoker> _invokers;
    private readonly Stopwatch _unanswered = new();
    private int _current;

    public ClusterClient(string addresses, TimeSpan patience, FileInfo? tokenFile)
        : this(addresses, patience, tokenFile is null
            ? Environment.GetEnvironmentVariable(TokenVariable)
            : tokenFile.Exists ? File.ReadAllText(tokenFile.FullName).Trim() : throw new UserException($"--token-file {tokenFile.FullName} not found"))
    {
    }

    /// <summary>A client presenting <paramref name="token"/> (none: an open cluster), e.g. the embedded cluster's one-time token.</summary>
    public ClusterClient(string addresses, TimeSpan patience, string? token)
    {
        _patience = patience;
        var urls = addresses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0)
        {
            throw new UserException("--cluster names no silo");
        }

        _channels = [.. urls.Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? GrpcChannel.ForAddress(uri, new GrpcChannelOptions
            {
                // A record comes with its rounds' prompts, answers and logs, beyond gRPC's default 4 MB.
                MaxReceiveMessageSize = SweepApiLimits.MaxMessageBytes,
                MaxSendMessageSize = SweepApiLimits.MaxMessageBytes,
                // A silo whose host vanished without closing the connection is noticed within half a minute.
                HttpHandler = new SocketsHttpHandler
                {
                    KeepAlivePingDelay = TimeSpan.FromSeconds(15),
                    KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                    KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                    EnableMultipleHttp2Connections = true,
                },
            })
            : throw new UserException($"--cluster: '{url}' is not a URL (expected e.g. http://127.0.0.1:5070)"))];
        _invokers = [.. _channels.Select(channel => string.IsNullOrWhiteSpace(token)
            ? channel.CreateCallInvoker()
            : channel.CreateCallInvoker().Intercept(metadata =>
            {
                metadata.Add(ClusterTokenOptions.Header, $"Bearer {token.Trim()}");
                return metadata;
            }))];
    }

    public static Option<FileInfo?> TokenFileOption() => new("--token-file")
    {
        Description = $"File holding your token for the cluster: a user's own, or the cluster token (default: ${TokenVariable})",
    };

    /// <summary>The silo answering now, for messages.</summary>
    public string Current => _channels[_current].Target;

    /// <summary>A call answered by the first silo that can; the others are tried when one is unreachable.</summary>
    public async Task<T> CallAsync<T>(Func<SweepService.SweepServiceClient, Task<T>> call, CancellationToken cancellationToken)
    {
        var result = default(T)!;
        await FollowAsync(async client => result = await call(client), cancellationToken);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="session"/> against one silo after another until it completes: a session that breaks
    /// because its silo died or could not reach the cluster is started again on the next silo, so it must resume from
    /// what it has already seen. A long session calls <see cref="Heard"/> as answers come, so that only time with no
    /// silo answering counts against the patience.
    /// </summary>
    public async Task FollowAsync(Func<SweepService.SweepServiceClient, Task> session, CancellationToken cancellationToken)
    {
        _unanswered.Restart();
        for (var failures = 0; ; failures++)
        {
            try
            {
                await session(new SweepService.SweepServiceClient(_invokers[_current]));
                return;
            }
            catch (RpcException e) when (IsSiloFailure(e, cancellationToken))
            {
                if (_unanswered.Elapsed > _patience)
                {
                    throw new UserException($"cluster unreachable through {string.Join(", ", _channels.Select(c => c.Target))}: {e.Status.Detail}");
                }

                // After a whole round of the list, wait a little before the next: the silos may be restarting.
                _current = (_current + 1) % _channels.Count;
                if (_current == 0 || _channels.Count == 1)
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, 1 + failures / _channels.Count)), cancellationToken);
                }
            }
            catch (RpcException e) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C: the call was cut by the caller, not refused by the cluster.
                throw new OperationCanceledException(e.Status.Detail, e, cancellationToken);
            }
            catch (RpcException e)
            {
                throw new UserException(e.Status.Detail);
            }
        }
    }

    /// <summary>A silo answered: the patience starts again, since a long session may lose several silos in turn.</summary>
    public void Heard() => _unanswered.Restart();

    /// <summary>The silo died, was stopping, or could not reach the rest of the cluster in time; another may answer.</summary>
    private static bool IsSiloFailure(RpcException e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
        && e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.DeadlineExceeded or StatusCode.Cancelled;

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }
}
