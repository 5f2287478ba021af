using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Llm;
using Kernelsmith.Contracts.Security;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Yaml;

namespace Kernelsmith.Grains.Sweeps;

/// <summary>Reads and validates a sweep spec (YAML); every mistake names the file, line and field.</summary>
public static partial class SweepSpecLoader
{
    /// <summary>
    /// Reads a spec file. With <paramref name="credentials"/> (where the spec will run: the silo, the embedded runner),
    /// every model's credential must be one of them and bound to the model's endpoint.
    /// </summary>
    public static SweepSpec Load(string path, KernelCatalog catalog, PromptLibrary? prompts = null, ModelCredentials? credentials = null)
    {
        if (!File.Exists(path))
        {
            throw new InputFileException(path, 0, "(file)", "sweep spec not found");
        }

        return Parse(path, File.ReadAllText(path), catalog, prompts, credentials);
    }

    /// <summary>
    /// Reads a spec's text. <c>${NAME}</c> references are read from <paramref name="variables"/> when given (a silo reads
    /// a submitted spec with the submitter's values, never its own environment), else from the environment.
    /// </summary>
    public static SweepSpec Parse(
        string file, string text, KernelCatalog catalog, PromptLibrary? prompts = null, ModelCredentials? credentials = null,
        IReadOnlyDictionary<string, string>? variables = null)
    {
        prompts ??= PromptLibrary.BuiltIn;
        var yaml = YamlSection.Parse(file, text);
        var name = yaml.RequiredString("name");
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw yaml.Error("name", $"'{name}' must be letters, digits, '-', '_' or '.'");
        }

        var kernels = yaml.Strings("kernels", required: true);
        if (Repeated(kernels) is { } repeated)
        {
            throw yaml.Error("kernels", $"kernel '{repeated}' is listed twice");
        }

        foreach (var kernel in kernels.Where(k => !catalog.TryGet(k, out _)))
        {
            var known = string.Join(", ", catalog.Kernels.Select(k => k.Id).Order(StringComparer.Ordinal));
            throw yaml.Error("kernels", $"unknown kernel '{kernel}' (known: {known})");
        }

        var technologies = yaml.Strings("technologies", required: true);
        foreach (var technology in technologies.Where(t => !Technologies.All.Contains(t) && t != Technologies.Auto))
        {
            throw yaml.Error("technologies", $"unknown technology '{technology}' (known: {string.Join(", ", Technologies.All)}, or auto to let the model choose)");
        }

        var pinned = yaml.ListsByName("kernel_technologies");
        foreach (var (kernel, pins) in pinned)
        {
            if (!kernels.Contains(kernel))
            {
                throw yaml.Error("kernel_technologies", $"'{kernel}' is not one of the sweep's kernels");
            }

            foreach (var technology in pins.Where(t => !technologies.Contains(t)))
            {
                throw yaml.Error("kernel_technologies", $"{kernel}: '{technology}' is not one of the sweep's technologies ({string.Join(", ", technologies)})");
            }
        }

        // Technologies pinned to agent pools, e.g. cuda: [gpu-a100]: their jobs go only to agents of those pools.
        var pools = yaml.ListsByName("pools");
        foreach (var (technology, names) in pools)
        {
            if (!Technologies.All.Contains(technology))
            {
                throw yaml.Error("pools", $"'{technology}' is not a technology (known: {string.Join(", ", Technologies.All)})");
            }

            if (names.Count == 0 || names.Any(string.IsNullOrWhiteSpace))
            {
                throw yaml.Error("pools", $"{technology}: name at least one pool, e.g. {technology}: [my-pool]");
            }
        }

        var models = ReadModels(yaml, credentials, variables is null ? Environment.GetEnvironmentVariable : name => variables.GetValueOrDefault(name));
        var promptNames = yaml.Has("prompts") ? yaml.Strings("prompts", required: true) : [PromptLibrary.Plain];
        var templates = new List<PromptTemplate>();
        foreach (var prompt in promptNames)
        {
            templates.Add(prompts.TryGet(prompt, out var template)
                ? template
                : throw yaml.Error("prompts", $"unknown prompt '{prompt}' (known: {string.Join(", ", prompts.Names.Order(StringComparer.Ordinal))})"));
        }

        var samples = yaml.Int("samples", 1, min: 1, max: 1000);
        var repair = ReadRepair(yaml.Section("repair"), models);
        var run = ReadRun(yaml, yaml.Section("run"), kernels.Select(k => catalog.TryGet(k, out var d) ? d : null!).ToList());

        var cache = yaml.OptionalString("cache") is not { } cacheText || ReadBool(yaml, "cache", cacheText);
        var verify = ReadVerify(yaml.Section("verify"));
        var budget = ReadBudget(yaml.Section("budget"));
        int? maxActive = yaml.Has("max_active") ? yaml.Int("max_active", 0, min: 1, max: 1_000_000) : null;
        yaml.RejectUnknownFields();
        return new SweepSpec(name, kernels, technologies, models, promptNames, samples, repair, run, cache, budget, templates, pinned.Count > 0 ? pinned : null, verify,
            maxActive, pools.Count > 0 ? pools : null);
    }

    private static List<ModelSpec> ReadModels(YamlSection yaml, ModelCredentials? credentials, Func<string, string?> variables)
    {
        var sections = yaml.Sections("models");
        if (sections.Count == 0)
        {
            throw yaml.Error("models", "is required: list at least one model");
        }

        var models = new List<ModelSpec>();
        foreach (var section in sections)
        {
            var id = section.RequiredString("id");
            RefuseSeparator(section, "id", id, "a model id");
            if (models.Any(m => m.Id == id))
            {
                throw section.Error("id", $"model id '{id}' is used twice");
            }

            var provider = section.RequiredString("provider");
            var model = provider switch
            {
                ModelProviders.Sim => ReadSim(section, id),
                ModelProviders.Replay => new ModelSpec(id, provider, Directory: ReadReplayDirectory(section), RecordedFrom: ReadRecordedFrom(section.Section("recorded_from"))),
                ModelProviders.OpenAi => ReadOpenAi(section, id, credentials, variables),
                _ => throw section.Error("provider", $"unknown provider '{provider}' (known: {string.Join(", ", ModelProviders.All)})"),
            };
            section.RejectUnknownFields();
            models.Add(model);
        }

        return models;
    }

    private static ModelSpec ReadOpenAi(YamlSection section, string id, ModelCredentials? credentials, Func<string, string?> variables)
    {
        var endpoint = Expand(section, "endpoint", section.RequiredString("endpoint"), variables);
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw section.Error("endpoint", $"'{endpoint}' is not an http(s) URL");
        }

        // A spec travels (submitted to a cluster, shared between users): it must not choose which of the host's
        // variables or files become a key, nor where a key is sent.
        foreach (var field in new[] { "apiKeyEnv", "apiKeyFile" }.Where(section.Has))
        {
            throw section.Error(field, "a spec no longer reads API keys from the host: name one of the operator's credentials instead, " +
                $"e.g. credential: {ModelCredentials.LocalOpenAi} (configured as {ModelCredentials.Section}:NAME and bound to endpoints; see docs/security.md)");
        }

        var credential = section.OptionalString("credential");
        if (credential is not null && credentials?.Refusal(credential, endpoint) is { } refusal)
        {
            throw section.Error(refusal.StartsWith("unknown", StringComparison.Ordinal) ? "credential" : "endpoint", refusal);
        }

        return new ModelSpec(
            id,
            ModelProviders.OpenAi,
            Endpoint: endpoint,
            Model: Expand(section, "model", section.RequiredString("model"), variables),
            Temperature: section.Has("temperature") ? section.Double("temperature", 0, min: 0) : null,
            TopP: section.Has("top_p") ? section.Double("top_p", 1, min: 0) : null,
            MaxTokens: section.Has("max_tokens") ? section.Int("max_tokens", 0, min: 1) : null,
            Seed: section.OptionalInt("seed"),
            Stream: section.OptionalString("stream") is { } stream && ReadBool(section, "stream", stream),
            Limits: ReadLimits(section),
            Prices: ReadPrices(section.Section("price")),
            Credential: credential);
    }

    /// <summary>
    /// <c>${NAME}</c> and <c>${NAME:-default}</c> are read from the environment, so one spec serves several sites;
    /// API keys are never written this way (a model names an operator's credential).
    /// </summary>
    private static string Expand(YamlSection section, string key, string text, Func<string, string?> variables) =>
        EnvironmentReference().Replace(text, match =>
            variables(match.Groups["name"].Value) is { Length: > 0 } value ? value
            : match.Groups["default"].Success ? match.Groups["default"].Value
            : throw section.Error(key, $"environment variable {match.Groups["name"].Value} is not set (write ${{{match.Groups["name"].Value}:-default}} to give a default)"));

    /// <summary>The names a spec's text refers to as <c>${NAME}</c>: what a client sends along with a submission.</summary>
    public static IEnumerable<string> Variables(string text) =>
        EnvironmentReference().Matches(text).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(:-(?<default>[^}]*))?\}")]
    private static partial System.Text.RegularExpressions.Regex EnvironmentReference();

    private static ModelLimits ReadLimits(YamlSection section)
    {
        var defaults = ModelLimits.Default;
        return new ModelLimits(
            section.Int("concurrency", defaults.Concurrency, min: 1, max: 10_000),
            section.Has("requests_per_minute") ? section.Int("requests_per_minute", 0, min: 1) : null,
            section.Has("tokens_per_minute") ? section.Int("tokens_per_minute", 0, min: 1) : null,
            section.Double("timeout", defaults.TimeoutSeconds, min: 0.1),
            section.Int("max_retries", defaults.MaxRetries, min: 0, max: 20));
    }

    private static VerifySettings? ReadVerify(YamlSection? section)
    {
        if (section is null)
        {
            return null;
        }

        var sanitizers = section.Strings("sanitizers");
        foreach (var sanitizer in sanitizers.Where(s => !VerifySettings.Known.Contains(s)))
        {
            throw section.Error("sanitizers", $"unknown sanitizer '{sanitizer}' (known: {string.Join(", ", VerifySettings.Known)})");
        }

        var amplify = section.OptionalString("amplify") is not { } amplifyText || ReadBool(section, "amplify", amplifyText);
        section.RejectUnknownFields();
        return new VerifySettings(section.Has("sanitizers") ? sanitizers : VerifySettings.Known, amplify);
    }

    /// <summary>A name that becomes part of every experiment's id and results folder may not hold the id's separator.</summary>
    private static void RefuseSeparator(YamlSection section, string key, string value, string what)
    {
        if (value.Contains(ExperimentId.Separator, StringComparison.Ordinal))
        {
            throw section.Error(key, $"{what} may not contain '{ExperimentId.Separator}' ('{value}'): it is part of every experiment's id and results folder; "
                + $"write it as '{value.Replace(ExperimentId.Separator, '-')}' (the model an endpoint serves is its own field, `model`)");
        }
    }

    private static BudgetSettings? ReadBudget(YamlSection? section)
    {
        if (section is null)
        {
            return null;
        }

        var budget = new BudgetSettings(
            section.Has("max_cost_usd") ? section.Double("max_cost_usd", 0, min: 0) : null,
            section.Has("max_tokens") ? section.Int("max_tokens", 0, min: 1) : null);
        section.RejectUnknownFields();
        return budget;
    }

    private static ModelPrices? ReadPrices(YamlSection? price)
    {
        if (price is null)
        {
            return null;
        }

        var prices = new ModelPrices(price.Double("input", 0, min: 0), price.Double("output", 0, min: 0));
        price.RejectUnknownFields();
        return prices;
    }

    private static bool ReadBool(YamlSection section, string key, string text) => text switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw section.Error(key, $"expected true or false, got '{text}'"),
    };

    private static ModelSpec ReadSim(YamlSection section, string id)
    {
        var behaviour = section.RequiredString("behaviour");
        if (!SimModel.Behaviours.Contains(behaviour))
        {
            throw section.Error("behaviour", $"unknown sim behaviour '{behaviour}' (known: {string.Join(", ", SimModel.Behaviours)})");
        }

        var fault = section.OptionalString("fault");
        if (fault is not null && (behaviour != SimModel.Mutant || Mutations.All.All(m => m.Name != fault)))
        {
            throw section.Error("fault", behaviour != SimModel.Mutant
                ? "only a mutant model takes a fault"
                : $"unknown fault '{fault}' (known: {string.Join(", ", Mutations.All.Select(m => m.Name))})");
        }

        return new ModelSpec(id, ModelProviders.Sim, Behaviour: behaviour, Seed: section.OptionalInt("seed"), Fault: fault,
            LatencyMs: section.Has("latency_ms") ? section.Int("latency_ms", 0, min: 0, max: 600_000) : null,
            Limits: section.Has("concurrency") ? ModelLimits.Default with { Concurrency = section.Int("concurrency", 1, min: 1, max: 10_000) } : null);
    }

    /// <summary><c>recorded_from: { model, provider, date, source }</c>: the real model a replay's answers came from; model required.</summary>
    private static RecordedModel? ReadRecordedFrom(YamlSection? section)
    {
        if (section is null)
        {
            return null;
        }

        var recorded = new RecordedModel(
            section.OptionalString("model") ?? throw section.Error("model", "is required: the name of the model the answers were recorded from, e.g. gpt-3.5-turbo"),
            section.OptionalString("provider"),
            section.OptionalString("date"),
            section.OptionalString("source"));
        section.RejectUnknownFields();
        return recorded;
    }

    private static string ReadReplayDirectory(YamlSection section)
    {
        var directory = section.RequiredString("directory");
        var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(section.File)) ?? ".", directory));
        if (!Directory.Exists(full) && !(File.Exists(full) && full.EndsWith(".jsonl", StringComparison.Ordinal)))
        {
            throw section.Error("directory", $"replay directory or .jsonl recording '{directory}' not found (looked at {full})");
        }

        return full;
    }

    private static RepairSettings ReadRepair(YamlSection? section, IReadOnlyList<ModelSpec> models)
    {
        if (section is null)
        {
            return new RepairSettings(0);
        }

        var model = section.OptionalString("model");
        if (model is not null && models.All(m => m.Id != model))
        {
            throw section.Error("model", $"unknown model '{model}' (the sweep's models: {string.Join(", ", models.Select(m => m.Id))})");
        }

        var repair = new RepairSettings(section.Int("rounds", 0, min: 0, max: 20), model);
        section.RejectUnknownFields();
        return repair;
    }

    /// <summary>The first item listed more than once, as written; null when each is listed once.</summary>
    private static string? Repeated<T>(IEnumerable<T> items) where T : notnull =>
        items.GroupBy(item => item).Where(group => group.Count() > 1)
            .Select(group => Convert.ToString(group.Key, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();

    private static RunSettings ReadRun(YamlSection yaml, YamlSection? section, IReadOnlyList<KernelDefinition> kernels)
    {
        if (section is null)
        {
            throw yaml.Error("run", "is required: give at least the input set and thread counts");
        }

        var run = new RunSettings(
            section.OptionalString("input") ?? "tiny",
            section.Ints("threads", min: 1, fallback: [1]),
            section.Ints("ranks", min: 1, fallback: [1]),
            section.Int("repetitions", 3, min: 1, max: 100),
            section.Double("timeout", 30, min: 0.1),
            section.Double("build_timeout", 120, min: 1))
        {
            Precision = section.Double("precision", 0.03, min: 0.001),
            MaxPairs = section.Int("max_pairs", 30, min: 1, max: 1000),
            MaxSeconds = section.Double("max_seconds", 120, min: 1),
            Warmups = section.Int("warmups", 1, min: 0, max: 20),
            Expert = section.OptionalString("expert") is not { } expertText || ReadBool(section, "expert", expertText),
        };
        foreach (var (field, counts) in new[] { ("threads", run.Threads), ("ranks", run.Ranks) })
        {
            if (Repeated(counts) is { } twice)
            {
                throw section.Error(field, $"{twice} is listed twice: each count runs once");
            }
        }

        foreach (var kernel in kernels.Where(k => !k.Inputs.ContainsKey(run.Input)))
        {
            throw section.Error("input", $"kernel '{kernel.Id}' has no input set '{run.Input}' (it has: {string.Join(", ", kernel.Inputs.Keys)})");
        }

        section.RejectUnknownFields();
        return run;
    }
}
