using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Yaml;

namespace Kernelsmith.Grains.Kernels;

/// <summary>
/// The input sets of a <c>kernel.yaml</c> (<c>inputs</c> and <c>amplified</c>): arguments, standard input, files read and
/// written, and what an input changes in the build (<c>defines</c>, <c>substitute</c>).
/// </summary>
internal static class KernelInputReader
{
    public static Dictionary<string, KernelInput> ReadInputs(YamlSection yaml, string folder, string id, IReadOnlyList<CodeFile> sources)
    {
        var section = yaml.Section("inputs") ?? throw yaml.Error("inputs", "is required: name at least one input set, e.g. tiny");
        var inputs = ReadInputSets(section, folder, id, sources);
        if (inputs.Count == 0)
        {
            throw yaml.Error("inputs", "must name at least one input set");
        }

        return inputs;
    }

    public static Dictionary<string, KernelInput> ReadInputSets(YamlSection section, string folder, string id, IReadOnlyList<CodeFile> sources)
    {
        var inputs = new Dictionary<string, KernelInput>(StringComparer.Ordinal);
        foreach (var (name, input) in section.NamedSections())
        {
            var stdinPath = input.OptionalString("stdin");
            var stdin = stdinPath is null ? null : KernelCatalog.ReadFile(input, "stdin", folder, stdinPath).Content;
            inputs[name] = new KernelInput(
                name,
                input.Strings("args"),
                stdin,
                input.Strings("files").Select(path => KernelCatalog.ReadFile(input, "files", folder, path) with { Path = Path.GetFileName(path) }).ToList(),
                input.Strings("outputs"))
            {
                Defines = ReadDefines(input),
                Substitutions = ReadSubstitutions(input, id, name, sources),
            };
            input.RejectUnknownFields();
        }

        return inputs;
    }

    /// <summary><c>defines: { N: 2000 }</c>: names a C preprocessor accepts, values without spaces (each becomes one <c>-D</c> flag).</summary>
    private static IReadOnlyDictionary<string, string> ReadDefines(YamlSection input)
    {
        var defines = input.ScalarsByName("defines");
        foreach (var (name, value) in defines)
        {
            if (name.Length == 0 || char.IsAsciiDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw input.Error("defines", $"'{name}' is not a preprocessor name (letters, digits and '_', not starting with a digit)");
            }

            if (value.Any(char.IsWhiteSpace))
            {
                throw input.Error("defines", $"the value of {name}, '{value}', holds a space: it would not be one compiler argument");
            }
        }

        return defines;
    }

    /// <summary>
    /// <c>substitute: [{ file: heat.c, text: "#define N 100", with: "#define N 2000" }]</c>: the file must be one of the
    /// kernel's sources and hold the text, or the error names the kernel, the input and the file.
    /// </summary>
    private static IReadOnlyList<SourceSubstitution> ReadSubstitutions(YamlSection input, string id, string name, IReadOnlyList<CodeFile> sources)
    {
        var substitutions = new List<SourceSubstitution>();
        foreach (var entry in input.Sections("substitute"))
        {
            var file = entry.RequiredString("file");
            var text = entry.RequiredString("text");
            var substitution = new SourceSubstitution(file, text, entry.OptionalString("with") ?? throw entry.Error("with", "is required: the text that replaces 'text'"));
            entry.RejectUnknownFields();
            if (!sources.Any(s => s.Path == file))
            {
                throw entry.Error("file", $"kernel '{id}', input '{name}': '{file}' is not one of the kernel's sources ({string.Join(", ", sources.Select(s => s.Path))})");
            }

            try
            {
                _ = InputBuild.Substituted(id, new KernelInput(name, [], null, [], []) { Substitutions = [substitution] }, [sources.First(s => s.Path == file)]);
            }
            catch (InputBuildException e)
            {
                throw entry.Error("text", e.Message);
            }

            substitutions.Add(substitution);
        }

        return substitutions;
    }

    /// <summary>
    /// <c>perturb: { defines: {...}, substitute: [...] }</c>: what <c>kernels validate --run</c> changes in the reference's
    /// build, on top of an input's own, to see whether the output notices a different computation.
    /// </summary>
    public static KernelInput ReadPerturbation(YamlSection perturb, string id, IReadOnlyList<CodeFile> sources)
    {
        var perturbation = new KernelInput("perturb", [], null, [], [])
        {
            Defines = ReadDefines(perturb),
            Substitutions = ReadSubstitutions(perturb, id, "perturb", sources),
        };
        perturb.RejectUnknownFields();
        if (perturbation.Defines.Count == 0 && perturbation.Substitutions.Count == 0)
        {
            throw perturb.Error("defines", "perturb needs defines or substitute: a change that alters what the program computes");
        }

        return perturbation;
    }

    /// <summary>
    /// <c>check: { command: "sh check.sh", files: [check.sh], outputs: [result.dat] }</c>: the files it judges must be among
    /// the inputs' outputs (all of them when not given).
    /// </summary>
    public static OutputCheck? ReadCheck(YamlSection? check, string folder, IReadOnlyList<KernelInput> inputs)
    {
        if (check is null)
        {
            return null;
        }

        var command = check.RequiredString("command");
        var files = check.Strings("files").Select(path => KernelCatalog.ReadFile(check, "files", folder, path) with { Path = Path.GetFileName(path) }).ToList();
        var written = inputs.SelectMany(i => i.OutputFiles).Distinct(StringComparer.Ordinal).ToList();
        var outputs = check.Has("outputs") ? check.Strings("outputs") : written;
        check.RejectUnknownFields();
        if (outputs.Count == 0)
        {
            throw check.Error("outputs", "a checker judges the files a program writes: name them in an input's outputs");
        }

        foreach (var output in outputs.Where(o => !written.Contains(o)))
        {
            throw check.Error("outputs", $"'{output}' is not among the files the inputs name in outputs ({string.Join(", ", written)})");
        }

        return new OutputCheck(command, files, outputs);
    }
}
