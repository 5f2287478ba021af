using System.Security.Cryptography;
using System.Text;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Yaml;

namespace Kernelsmith.Grains.Kernels;

/// <summary>
/// The kernel catalog: one folder per kernel, each with a <c>kernel.yaml</c>, its sequential sources,
/// input files and expert solutions under <c>solutions/&lt;technology&gt;/</c>.
/// </summary>
public sealed class KernelCatalog
{
    public const string DescriptorFile = "kernel.yaml";
    private readonly Dictionary<string, KernelDefinition> _kernels;

    private readonly Dictionary<string, string> _folders;

    private KernelCatalog(Dictionary<string, KernelDefinition> kernels, Dictionary<string, string> folders)
    {
        _kernels = kernels;
        _folders = folders;
    }

    public IReadOnlyCollection<KernelDefinition> Kernels => _kernels.Values;

    public bool TryGet(string id, out KernelDefinition kernel) => _kernels.TryGetValue(id, out kernel!);

    /// <summary>The folder a kernel was loaded from, e.g. to ship it to a cluster.</summary>
    public string FolderOf(string id) => _folders[id];

    /// <summary>
    /// Loads every kernel folder under the given roots; later roots may not redefine a kernel. With
    /// <paramref name="broken"/>, a folder that does not load is noted there and skipped, so one bad kernel does not hide
    /// the rest (for listing); without it, the first problem stops the load.
    /// </summary>
    public static KernelCatalog Load(IEnumerable<string> roots, ICollection<InputFileException>? broken = null)
    {
        var kernels = new Dictionary<string, KernelDefinition>(StringComparer.Ordinal);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            if (!Directory.Exists(root))
            {
                throw new InputFileException(root, 0, "(kernels)", "kernel directory not found");
            }

            IEnumerable<string> folders = File.Exists(Path.Combine(root, DescriptorFile))
                ? [root]
                : Directory.GetDirectories(root).Where(d => File.Exists(Path.Combine(d, DescriptorFile))).Order(StringComparer.Ordinal);
            foreach (var folder in folders)
            {
                KernelDefinition kernel;
                try
                {
                    kernel = LoadFolder(folder);
                }
                catch (InputFileException e) when (broken is not null)
                {
                    broken.Add(e);
                    continue;
                }

                if (!kernels.TryAdd(kernel.Id, kernel))
                {
                    throw new InputFileException(Path.Combine(folder, DescriptorFile), 0, "id", $"kernel '{kernel.Id}' is defined twice");
                }

                paths[kernel.Id] = folder;
            }
        }

        return new KernelCatalog(kernels, paths);
    }

    /// <summary>Reads one kernel folder; every problem names the folder, file and field.</summary>
    public static KernelDefinition LoadFolder(string folder)
    {
        var descriptor = Path.Combine(folder, DescriptorFile);
        if (!File.Exists(descriptor))
        {
            throw new InputFileException(descriptor, 0, "(file)", "kernel descriptor not found");
        }

        var yaml = YamlSection.Parse(descriptor, File.ReadAllText(descriptor));
        var id = yaml.RequiredString("id");
        if (!IsSafeName(id))
        {
            throw yaml.Error("id", $"'{id}' must be letters, digits, '-' or '_'");
        }

        var language = yaml.OptionalString("language") ?? "c";
        if (language is not ("c" or "cpp"))
        {
            throw yaml.Error("language", $"'{language}' is not one of c, cpp");
        }

        var technologies = yaml.Strings("technologies", required: true);
        foreach (var technology in technologies.Where(t => !Contracts.Sweeps.Technologies.All.Contains(t)))
        {
            throw yaml.Error("technologies", $"unknown technology '{technology}' (known: {string.Join(", ", Contracts.Sweeps.Technologies.All)})");
        }

        var sources = yaml.Strings("sources", required: true).Select(path => ReadFile(yaml, "sources", folder, path)).ToList();
        var build = ReadBuild(yaml.Section("build"), language);
        var inputs = KernelInputReader.ReadInputs(yaml, folder, id, sources);
        var amplified = yaml.Section("amplified") is { } amplifiedSection ? KernelInputReader.ReadInputSets(amplifiedSection, folder, id, sources) : [];
        foreach (var name in amplified.Keys.Where(inputs.ContainsKey))
        {
            throw yaml.Error("amplified", $"'{name}' is already a main input; amplified inputs need names of their own");
        }

        var check = KernelInputReader.ReadCheck(yaml.Section("check"), folder, [.. inputs.Values, .. amplified.Values]);
        var compare = ReadComparison(yaml.Section("compare")) with { CheckedOutputs = check?.Outputs ?? [] };
        var kernel = new KernelDefinition(
            id,
            yaml.OptionalString("title") ?? id,
            language,
            yaml.OptionalString("note") ?? "",
            technologies,
            sources,
            build,
            inputs,
            compare,
            ReadSolutions(folder, technologies),
            ContentHash(folder))
        {
            Amplified = amplified,
            TimingPattern = ReadTiming(yaml.Section("timing")),
            Perturbation = yaml.Section("perturb") is { } perturb ? KernelInputReader.ReadPerturbation(perturb, id, sources) : null,
            Check = check,
        };
        yaml.RejectUnknownFields();
        return kernel;
    }

    /// <summary><c>timing: { from_output: REGEX }</c>: the kernel time the program prints, the regex's first group in seconds.</summary>
    private static string? ReadTiming(YamlSection? timing)
    {
        if (timing is null)
        {
            return null;
        }

        var pattern = timing.OptionalString("from_output") ?? throw timing.Error("from_output", "is required: a regular expression whose first group is the kernel time in seconds");
        System.Text.RegularExpressions.Regex regex;
        try
        {
            regex = new System.Text.RegularExpressions.Regex(pattern);
        }
        catch (ArgumentException e)
        {
            throw timing.Error("from_output", $"is not a valid regular expression: {e.Message}");
        }

        if (regex.GetGroupNumbers().Length < 2)
        {
            throw timing.Error("from_output", "needs a group around the seconds, e.g. 'executed in ([0-9.]+) seconds'");
        }

        timing.RejectUnknownFields();
        return pattern;
    }

    private static KernelBuild ReadBuild(YamlSection? build, string language)
    {
        var compiler = build?.OptionalString("compiler") ?? (language == "cpp" ? "g++" : "gcc");
        var flags = build?.Strings("flags") ?? [];
        var libraries = build?.Strings("libraries") ?? [];
        build?.RejectUnknownFields();
        return new KernelBuild(compiler, flags.Count > 0 ? flags : ["-O2"], libraries);
    }

    private static OutputComparison ReadComparison(YamlSection? compare)
    {
        if (compare is null)
        {
            return new OutputComparison(ComparisonModes.Exact, 0, 0, []);
        }

        var mode = compare.OptionalString("mode") ?? ComparisonModes.Exact;
        if (!ComparisonModes.All.Contains(mode))
        {
            throw compare.Error("mode", $"'{mode}' is not one of {string.Join(", ", ComparisonModes.All)}");
        }

        var result = new OutputComparison(mode, compare.Double("abs", 0, 0), compare.Double("rel", 0, 0), Patterns(compare, "ignore"))
        {
            SelectPatterns = Patterns(compare, "select"),
            MaskPatterns = Patterns(compare, "mask"),
        };
        compare.RejectUnknownFields();
        return result;
    }

    private static IReadOnlyList<string> Patterns(YamlSection compare, string field)
    {
        var patterns = compare.Strings(field);
        foreach (var pattern in patterns)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(pattern);
            }
            catch (ArgumentException e)
            {
                throw compare.Error(field, $"'{pattern}' is not a valid regular expression: {e.Message}");
            }
        }

        return patterns;
    }

    private static Dictionary<string, IReadOnlyList<CodeFile>> ReadSolutions(string folder, IReadOnlyList<string> technologies)
    {
        var solutions = new Dictionary<string, IReadOnlyList<CodeFile>>(StringComparer.Ordinal);
        var root = Path.Combine(folder, "solutions");
        if (!Directory.Exists(root))
        {
            return solutions;
        }

        foreach (var directory in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var technology = Path.GetFileName(directory);
            if (!technologies.Contains(technology))
            {
                throw new InputFileException(directory, 0, "solutions", $"solution for '{technology}', which the kernel does not list in technologies");
            }

            solutions[technology] = Directory.GetFiles(directory).Order(StringComparer.Ordinal)
                .Select(f => new CodeFile(Path.GetFileName(f), File.ReadAllText(f))).ToList();
        }

        return solutions;
    }

    internal static CodeFile ReadFile(YamlSection yaml, string field, string folder, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(folder, relative));
        if (!full.StartsWith(Path.GetFullPath(folder), StringComparison.Ordinal))
        {
            throw yaml.Error(field, $"'{relative}' points outside the kernel folder");
        }

        if (!File.Exists(full))
        {
            throw yaml.Error(field, $"file '{relative}' not found in {folder}");
        }

        return new CodeFile(relative, File.ReadAllText(full));
    }

    private static string ContentHash(string folder)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(folder, file)));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static bool IsSafeName(string name) => name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
