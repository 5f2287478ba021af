using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Kernelsmith.Contracts.Security;
using Microsoft.Extensions.Options;

namespace Kernelsmith.ServiceDefaults.Security;

/// <summary>Rejects calls that do not present the cluster token, before they reach the service.</summary>
public sealed class ClusterTokenInterceptor(IOptions<ClusterTokenOptions> options) : AuthenticatingInterceptor
{
    private readonly byte[]? _expected = options.Value.Resolve() is { } token ? Encoding.UTF8.GetBytes($"Bearer {token}") : null;

    protected override void Authenticate(ServerCallContext context)
    {
        if (_expected is not null && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(context.RequestHeaders.GetValue(ClusterTokenOptions.Header) ?? ""), _expected))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "the cluster token is missing or wrong"));
        }
    }
}
