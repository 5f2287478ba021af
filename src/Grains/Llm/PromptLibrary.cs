using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Llm;
using Kernelsmith.Grains.Yaml;

namespace Kernelsmith.Grains.Llm;

/// <summary>What a template can mention besides the kernel: the target machine and the technologies to choose from.</summary>
public sealed record PromptContext(string Hardware, IReadOnlyList<string> Choices, string Keyword = "program");

/// <summary>
/// The prompt strategies a sweep can name: template files (<c>NAME.md</c>) whose turns are introduced by
/// <c>--- system ---</c>, <c>--- user ---</c> or <c>--- assistant ---</c> lines. Lines before the first turn are
/// comments (<c>#</c>) or settings (<c>suggestions: 3</c>). Users add strategies by adding files.
/// </summary>
public sealed partial class PromptLibrary
{
    public const string Plain = "plain";

    private static readonly Dictionary<string, string> s_technologyNames = new()
    {
        ["openmp"] = "OpenMP",
        ["mpi"] = "MPI",
        ["cuda"] = "CUDA",
    };

    private readonly Dictionary<string, PromptTemplate> _templates;

    private PromptLibrary(Dictionary<string, PromptTemplate> templates) => _templates = templates;

    /// <summary>The library every silo knows without files: the plain instruction prompt.</summary>
    public static PromptLibrary BuiltIn { get; } = new(new(StringComparer.Ordinal)
    {
        [Plain] = Parse("(built-in)/plain.md", Plain, """
            --- system ---
            You are an expert in high-performance computing. You port sequential programs to parallel ones.
            --- user ---
            Parallelise the following sequential {{language}} program with {{technology}}. Keep its command-line
            arguments, inputs and output format exactly as they are. Reply with the complete program in one
            fenced code block.

            {{sources}}
            """),
    });

    /// <summary>The plain instruction prompt, used when a sweep names none.</summary>
    public static PromptTemplate Default => BuiltIn._templates[Plain];

    public IReadOnlyCollection<string> Names => _templates.Keys;

    public bool TryGet(string name, out PromptTemplate template) => _templates.TryGetValue(name, out template!);

    /// <summary>The built-in templates plus every <c>*.md</c> file in the given folders (a file overrides a built-in).</summary>
    public static PromptLibrary Load(IEnumerable<string> directories)
    {
        var templates = new Dictionary<string, PromptTemplate>(BuiltIn._templates, StringComparer.Ordinal);
        foreach (var directory in directories.Where(Directory.Exists))
        {
            foreach (var file in Directory.GetFiles(directory, "*.md").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                templates[name] = Parse(file, name, File.ReadAllText(file));
            }
        }

        return new PromptLibrary(templates);
    }

    public static PromptTemplate Parse(string file, string name, string text)
    {
        var turns = new List<ChatTurn>();
        var suggestions = 1;
        string? role = null;
        var body = new StringBuilder();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var marker = TurnMarker().Match(line);
            if (marker.Success)
            {
                Flush();
                role = marker.Groups["role"].Value;
                continue;
            }

            if (role is not null)
            {
                body.AppendLine(line);
            }
            else if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            else if (Setting().Match(line) is { Success: true } setting && setting.Groups["key"].Value == "suggestions"
                     && int.TryParse(setting.Groups["value"].Value, out var count) && count is >= 1 and <= 10)
            {
                suggestions = count;
            }
            else
            {
                throw new InputFileException(file, i + 1, "(template)", $"expected '# comment', 'suggestions: N' or a '--- user ---' line, got '{line.Trim()}'");
            }
        }

        Flush();
        if (turns.Count == 0 || turns[^1].Role != "user")
        {
            throw new InputFileException(file, lines.Length, "(template)", "a template must end with a '--- user ---' turn");
        }

        return new PromptTemplate(name, turns, suggestions);

        void Flush()
        {
            if (role is not null)
            {
                turns.Add(new ChatTurn(role, body.ToString().Trim()));
            }

            body.Clear();
        }
    }

    /// <summary>The opening conversation of one experiment: the template with its placeholders filled.</summary>
    public static IReadOnlyList<ChatTurn> Render(PromptTemplate template, KernelDefinition kernel, string technology, PromptContext context)
    {
        var language = kernel.Language == "cpp" ? "C++" : "C";
        var sources = string.Join("\n\n", kernel.Sources.Select(f => $"File `{f.Path}`:\n```{kernel.Language}\n{f.Content.TrimEnd()}\n```"));
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["language"] = language,
            ["technology"] = s_technologyNames.GetValueOrDefault(technology, technology),
            ["kernel"] = kernel.Title,
            ["note"] = kernel.Note,
            ["sources"] = sources,
            ["hardware"] = context.Hardware,
            ["choices"] = string.Join(", ", context.Choices.Select(c => s_technologyNames.GetValueOrDefault(c, c))),
            ["keyword"] = context.Keyword,
        };
        return template.Turns
            .Select(t => t with { Content = Placeholder().Replace(t.Content, m => values.GetValueOrDefault(m.Groups["name"].Value, m.Value)) })
            .ToList();
    }

    public static string Hash(IReadOnlyList<ChatTurn> turns)
    {
        var text = string.Join("\n\u0000", turns.Select(t => $"{t.Role}\u0000{t.Content}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    [GeneratedRegex(@"^---[ \t]*(?<role>system|user|assistant)[ \t]*---[ \t]*$")]
    private static partial Regex TurnMarker();

    [GeneratedRegex(@"^(?<key>[a-z_]+):[ \t]*(?<value>\S+)[ \t]*$")]
    private static partial Regex Setting();

    [GeneratedRegex(@"\{\{(?<name>[a-z_]+)\}\}")]
    private static partial Regex Placeholder();
}
