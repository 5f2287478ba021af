using System.CommandLine;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Contracts.Security;

namespace Kernelsmith.Cli.Commands;

/// <summary>
/// A connection to a cluster's sweep API that presents the caller's token on every call: from <c>--token-file</c>, else
/// <c>$KERNELSMITH_TOKEN</c>, else none (an open cluster).
/// </summary>
internal sealed class ClusterClient : IDisposable
{
    public const string TokenVariable = "KERNELSMITH_TOKEN";

    private readonly GrpcChannel _channel;

    private ClusterClient(GrpcChannel channel, SweepService.SweepServiceClient sweeps)
    {
        _channel = channel;
        Sweeps = sweeps;
    }

    public SweepService.SweepServiceClient Sweeps { get; }

    public static Option<FileInfo?> TokenFileOption() => new("--token-file")
    {
        Description = $"File holding your token for the cluster: a user's own, or the cluster token (default: ${TokenVariable})",
    };

    public static ClusterClient Connect(string url, FileInfo? tokenFile)
    {
        var token = tokenFile is null
            ? Environment.GetEnvironmentVariable(TokenVariable)
            : tokenFile.Exists ? File.ReadAllText(tokenFile.FullName).Trim() : throw new UserException($"--token-file {tokenFile.FullName} not found");
        var channel = GrpcChannel.ForAddress(url);
        var invoker = string.IsNullOrWhiteSpace(token)
            ? channel.CreateCallInvoker()
            : channel.CreateCallInvoker().Intercept(metadata =>
            {
                metadata.Add(ClusterTokenOptions.Header, $"Bearer {token.Trim()}");
                return metadata;
            });
        return new ClusterClient(channel, new SweepService.SweepServiceClient(invoker));
    }

    public void Dispose() => _channel.Dispose();
}
