namespace Kernelsmith.Contracts.Security;

/// <summary>
/// One user of the public sweep API, from <c>Cluster:Users:NAME</c>: a token of their own (<c>Token</c> or a file named
/// by <c>TokenFile</c>) and whether they may cancel and resume sweeps that others submitted (<c>Admin</c>).
/// </summary>
public sealed class ApiUserOptions
{
    public string? Token { get; set; }

    public string? TokenFile { get; set; }

    public bool Admin { get; set; }

    public string? Resolve() => TokenFile is { Length: > 0 } file
        ? File.Exists(file) ? File.ReadAllText(file).Trim() : throw new InvalidOperationException($"token file {file} not found")
        : string.IsNullOrWhiteSpace(Token) ? null : Token.Trim();
}
