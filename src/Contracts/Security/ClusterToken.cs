using Grpc.Core;

namespace Kernelsmith.Contracts.Security;

/// <summary>
/// The secret silos and agents share to know each other: the silo refuses agents without it, an agent refuses work
/// without it. From <c>Cluster:Token</c> (env <c>Cluster__Token</c>) or a file named by <c>Cluster:TokenFile</c>.
/// No token configured means an open cluster, for a single trusted machine: a host refuses to serve one on an address
/// other than loopback unless <see cref="AllowOpen"/> says so. Clients of the sweep API present the
/// cluster token (as the operator) or a user's token (<see cref="Users"/>); agents only ever the cluster token.
/// </summary>
public sealed class ClusterTokenOptions
{
    public const string Section = "Cluster";
    public const string Header = "authorization";

    public string? Token { get; set; }

    public string? TokenFile { get; set; }

    /// <summary>
    /// Serve without a token on addresses other than loopback (<c>Cluster__AllowOpen=true</c>): anyone who reaches the
    /// port may then submit sweeps, register agents or hand an agent programs to run. For a network the operator trusts.
    /// </summary>
    public bool AllowOpen { get; set; }

    /// <summary>Users of the public sweep API, each with a token of their own; the cluster token is the operator's.</summary>
    public Dictionary<string, ApiUserOptions> Users { get; set; } = [];

    /// <summary>The token in force, or null for an open cluster.</summary>
    public string? Resolve() => TokenFile is { Length: > 0 } file
        ? File.Exists(file) ? File.ReadAllText(file).Trim() : throw new InvalidOperationException($"{Section}:TokenFile {file} not found")
        : string.IsNullOrWhiteSpace(Token) ? null : Token.Trim();

    /// <summary>The call headers that present the token, for the calling side.</summary>
    public Metadata Headers() => Resolve() is { } token ? new Metadata { { Header, $"Bearer {token}" } } : [];
}
