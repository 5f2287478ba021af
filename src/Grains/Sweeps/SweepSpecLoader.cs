using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Yaml;

namespace Kernelsmith.Grains.Sweeps;

/// <summary>Reads and validates a sweep spec (YAML); every mistake names the file, line and field.</summary>
public static class SweepSpecLoader
{
    public static SweepSpec Load(string path, KernelCatalog catalog)
    {
        if (!File.Exists(path))
        {
            throw new InputFileException(path, 0, "(file)", "sweep spec not found");
        }

        return Parse(path, File.ReadAllText(path), catalog);
    }

    public static SweepSpec Parse(string file, string text, KernelCatalog catalog)
    {
        var yaml = YamlSection.Parse(file, text);
        var name = yaml.RequiredString("name");
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw yaml.Error("name", $"'{name}' must be letters, digits, '-', '_' or '.'");
        }

        var kernels = yaml.Strings("kernels", required: true);
        foreach (var kernel in kernels.Where(k => !catalog.TryGet(k, out _)))
        {
            var known = string.Join(", ", catalog.Kernels.Select(k => k.Id).Order(StringComparer.Ordinal));
            throw yaml.Error("kernels", $"unknown kernel '{kernel}' (known: {known})");
        }

        var technologies = yaml.Strings("technologies", required: true);
        foreach (var technology in technologies.Where(t => !Technologies.All.Contains(t)))
        {
            throw yaml.Error("technologies", $"unknown technology '{technology}' (known: {string.Join(", ", Technologies.All)})");
        }

        var models = ReadModels(yaml);
        var prompts = yaml.Has("prompts") ? yaml.Strings("prompts", required: true) : [PromptLibrary.Plain];
        foreach (var prompt in prompts.Where(p => !PromptLibrary.Names.Contains(p)))
        {
            throw yaml.Error("prompts", $"unknown prompt '{prompt}' (known: {string.Join(", ", PromptLibrary.Names)})");
        }

        var samples = yaml.Int("samples", 1, min: 1, max: 1000);
        var repair = ReadRepair(yaml.Section("repair"));
        var run = ReadRun(yaml, yaml.Section("run"), kernels.Select(k => catalog.TryGet(k, out var d) ? d : null!).ToList());

        yaml.RejectUnknownFields();
        return new SweepSpec(name, kernels, technologies, models, prompts, samples, repair, run);
    }

    private static List<ModelSpec> ReadModels(YamlSection yaml)
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
            if (models.Any(m => m.Id == id))
            {
                throw section.Error("id", $"model id '{id}' is used twice");
            }

            var provider = section.RequiredString("provider");
            var model = provider switch
            {
                ModelProviders.Sim => ReadSim(section, id),
                ModelProviders.Replay => new ModelSpec(id, provider, Directory: ReadReplayDirectory(section)),
                ModelProviders.OpenAi => new ModelSpec(
                    id,
                    provider,
                    Endpoint: section.RequiredString("endpoint"),
                    Model: section.RequiredString("model"),
                    ApiKeyEnv: section.OptionalString("apiKeyEnv"),
                    Temperature: section.OptionalDouble("temperature"),
                    TopP: section.OptionalDouble("top_p"),
                    MaxTokens: section.OptionalInt("max_tokens"),
                    Seed: section.OptionalInt("seed")),
                _ => throw section.Error("provider", $"unknown provider '{provider}' (known: {string.Join(", ", ModelProviders.All)})"),
            };
            section.RejectUnknownFields();
            models.Add(model);
        }

        return models;
    }

    private static ModelSpec ReadSim(YamlSection section, string id)
    {
        var behaviour = section.RequiredString("behaviour");
        if (!SimModel.Behaviours.Contains(behaviour))
        {
            throw section.Error("behaviour", $"unknown sim behaviour '{behaviour}' (known: {string.Join(", ", SimModel.Behaviours)})");
        }

        return new ModelSpec(id, ModelProviders.Sim, Behaviour: behaviour, Seed: section.OptionalInt("seed"));
    }

    private static string ReadReplayDirectory(YamlSection section)
    {
        var directory = section.RequiredString("directory");
        var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(section.File)) ?? ".", directory));
        if (!Directory.Exists(full))
        {
            throw section.Error("directory", $"replay directory '{directory}' not found (looked at {full})");
        }

        return full;
    }

    private static RepairSettings ReadRepair(YamlSection? section)
    {
        if (section is null)
        {
            return new RepairSettings(0);
        }

        var repair = new RepairSettings(section.Int("rounds", 0, min: 0, max: 20));
        section.RejectUnknownFields();
        return repair;
    }

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
            section.Double("build_timeout", 120, min: 1));
        foreach (var kernel in kernels.Where(k => !k.Inputs.ContainsKey(run.Input)))
        {
            throw section.Error("input", $"kernel '{kernel.Id}' has no input set '{run.Input}' (it has: {string.Join(", ", kernel.Inputs.Keys)})");
        }

        section.RejectUnknownFields();
        return run;
    }
}
