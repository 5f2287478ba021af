namespace Kernelsmith.Contracts.Security;

/// <summary>
/// One named credential of the operator's, from <c>Credentials:NAME</c>: the API key (<c>KeyFile</c>, <c>KeyEnv</c> or
/// <c>Key</c>, read on the silo) and the endpoints it may be sent to. A spec names it; it never sees the key.
/// </summary>
public sealed class CredentialOptions
{
    public string[] Endpoints { get; set; } = [];

    public string? KeyFile { get; set; }

    public string? KeyEnv { get; set; }

    public string? Key { get; set; }
}

/// <summary>
/// The operator's named model credentials, each bound to endpoints. A model spec that names an unknown credential, or an
/// endpoint its credential is not bound to, is refused before any call; the key is read only for a call to a bound one.
/// </summary>
public sealed class ModelCredentials
{
    public const string Section = "Credentials";

    /// <summary>The credential a single user's <c>kernelsmith run</c> has without configuring any (see docs/security.md).</summary>
    public const string LocalOpenAi = "openai";

    public const string OpenAiEndpoint = "https://api.openai.com/v1";

    public const string OpenAiKeyVariable = "OPENAI_API_KEY";

    public Dictionary<string, CredentialOptions> Named { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The embedded runner's local default: with <c>OPENAI_API_KEY</c> set and no credential called <c>openai</c>
    /// configured, <c>credential: openai</c> sends that key to api.openai.com and nowhere else.
    /// </summary>
    public void AddLocalOpenAiDefault()
    {
        if (!Named.ContainsKey(LocalOpenAi) && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OpenAiKeyVariable)))
        {
            Named[LocalOpenAi] = new CredentialOptions { KeyEnv = OpenAiKeyVariable, Endpoints = [OpenAiEndpoint] };
        }
    }

    /// <summary>Why a model may not use <paramref name="credential"/> at <paramref name="endpoint"/>, or null when it may.</summary>
    public string? Refusal(string credential, string endpoint)
    {
        if (!Named.TryGetValue(credential, out var options))
        {
            return Named.Count == 0
                ? $"unknown credential '{credential}': this cluster's operator has configured none ({Section}:NAME)"
                : $"unknown credential '{credential}' (known: {string.Join(", ", Named.Keys.Order(StringComparer.Ordinal))})";
        }

        return options.Endpoints.Any(bound => Covers(bound, endpoint))
            ? null
            : $"credential '{credential}' is not bound to endpoint {endpoint} (it may be sent only to: {string.Join(", ", options.Endpoints)})";
    }

    /// <summary>The key of <paramref name="credential"/> for a call to <paramref name="endpoint"/>, checked again here.</summary>
    public string Key(string credential, string endpoint)
    {
        if (Refusal(credential, endpoint) is { } refusal)
        {
            throw new InvalidOperationException(refusal);
        }

        var options = Named[credential];
        var key = options.KeyFile is { Length: > 0 } file
            ? File.Exists(file) ? File.ReadAllText(file).Trim() : throw new InvalidOperationException($"credential '{credential}': key file not found")
            : options.KeyEnv is { Length: > 0 } variable
                ? Environment.GetEnvironmentVariable(variable) ?? throw new InvalidOperationException($"credential '{credential}': the variable {variable} is not set on this host")
                : options.Key;
        return string.IsNullOrWhiteSpace(key) ? throw new InvalidOperationException($"credential '{credential}': the key is empty") : key.Trim();
    }

    /// <summary>Problems with the configuration itself, so a silo refuses to start rather than failing the first call.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, options) in Named)
        {
            if (new[] { options.KeyFile, options.KeyEnv, options.Key }.Count(s => !string.IsNullOrWhiteSpace(s)) != 1)
            {
                yield return $"{Section}:{name}: give the key by exactly one of KeyFile, KeyEnv or Key";
            }

            if (options.Endpoints.Length == 0)
            {
                yield return $"{Section}:{name}: bind it to at least one endpoint (Endpoints), e.g. {OpenAiEndpoint}";
            }

            foreach (var endpoint in options.Endpoints.Where(e => !Uri.TryCreate(e, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            {
                yield return $"{Section}:{name}: endpoint '{endpoint}' is not an http(s) URL";
            }
        }
    }

    /// <summary>
    /// Whether a key bound to <paramref name="bound"/> may go to <paramref name="endpoint"/>: the same scheme, host and port,
    /// and the bound path or one below it (the SDK appends <c>/chat/completions</c>).
    /// </summary>
    private static bool Covers(string bound, string endpoint)
    {
        if (!Uri.TryCreate(bound, UriKind.Absolute, out var b) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var e) || e.UserInfo.Length > 0)
        {
            return false;
        }

        var boundPath = b.AbsolutePath.TrimEnd('/');
        var path = e.AbsolutePath.TrimEnd('/');
        return string.Equals(b.Scheme, e.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(b.IdnHost, e.IdnHost, StringComparison.OrdinalIgnoreCase)
            && b.Port == e.Port
            && (path == boundPath || path.StartsWith(boundPath + "/", StringComparison.Ordinal))
            && e.Query.Length == 0 && e.Fragment.Length == 0;
    }
}
