using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Kernelsmith.Contracts.Security;
using Microsoft.Extensions.Options;

namespace Kernelsmith.ServiceDefaults.Security;

/// <summary>Who made a sweep API call: a named user, or the operator holding the cluster token (an admin).</summary>
public sealed record ApiCaller(string Name, bool Admin)
{
    /// <summary>The caller of an open cluster (no token configured): a single trusted machine, everyone an admin.</summary>
    public static ApiCaller Anonymous { get; } = new("anonymous", true);

    /// <summary>The holder of the cluster token: the operator.</summary>
    public static ApiCaller Operator { get; } = new("admin", true);

    private const string Key = "kernelsmith.caller";

    /// <summary>The caller the authentication interceptor recognised for this call.</summary>
    public static ApiCaller Of(ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var caller) && caller is ApiCaller known
            ? known
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "the call was not authenticated"));

    internal void Attach(ServerCallContext context) => context.UserState[Key] = this;

    /// <summary>Whether this caller may stop or resume a sweep <paramref name="owner"/> submitted (null: before owners were recorded).</summary>
    public bool MayControl(string? owner) => Admin || string.Equals(owner, Name, StringComparison.Ordinal);
}

/// <summary>
/// The sweep API's tokens: the cluster token makes its holder the operator (an admin), a user's token makes them that
/// user. With no token and no user configured the cluster is open (a single trusted machine). Tokens are compared in
/// constant time. The gRPC interceptor and the dashboard's login both ask here.
/// </summary>
public sealed class ApiTokens
{
    private readonly List<(byte[] Token, ApiCaller Caller)> _known = [];

    public ApiTokens(IOptions<ClusterTokenOptions> options)
    {
        if (options.Value.Resolve() is { } cluster)
        {
            _known.Add((Encoding.UTF8.GetBytes(cluster), ApiCaller.Operator));
        }

        foreach (var (name, user) in options.Value.Users)
        {
            var token = user.Resolve() ?? throw new InvalidOperationException($"{ClusterTokenOptions.Section}:Users:{name} has no Token or TokenFile");
            _known.Add((Encoding.UTF8.GetBytes(token), new ApiCaller(name, user.Admin)));
        }

        if (_known.DistinctBy(k => Convert.ToBase64String(k.Token)).Count() != _known.Count)
        {
            throw new InvalidOperationException($"{ClusterTokenOptions.Section}: two users (or a user and the cluster) share a token; each needs its own");
        }
    }

    /// <summary>True when no token and no user is configured: every caller is <see cref="ApiCaller.Anonymous"/>.</summary>
    public bool Open => _known.Count == 0;

    /// <summary>The caller <paramref name="presented"/> belongs to, or null when it is no known token.</summary>
    public ApiCaller? Find(ReadOnlySpan<byte> presented)
    {
        // Every known token is compared, so the time taken says nothing about which one came close.
        ApiCaller? caller = null;
        foreach (var (token, known) in _known)
        {
            if (CryptographicOperations.FixedTimeEquals(token, presented))
            {
                caller = known;
            }
        }

        return caller;
    }
}

/// <summary>Authenticates every call of the public sweep API with <see cref="ApiTokens"/>; anything else is <c>Unauthenticated</c>.</summary>
public sealed class SweepApiAuthInterceptor(ApiTokens tokens) : AuthenticatingInterceptor
{
    protected override void Authenticate(ServerCallContext context)
    {
        if (tokens.Open)
        {
            ApiCaller.Anonymous.Attach(context);
            return;
        }

        var presented = context.RequestHeaders.GetValue(ClusterTokenOptions.Header) is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? Encoding.UTF8.GetBytes(header["Bearer ".Length..])
            : [];
        (tokens.Find(presented) ?? throw new RpcException(new Status(StatusCode.Unauthenticated,
            "the cluster requires a token: give --token-file or set KERNELSMITH_TOKEN (the token is missing or wrong)"))).Attach(context);
    }
}
