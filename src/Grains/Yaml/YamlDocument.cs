using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kernelsmith.Grains.Yaml;

/// <summary>A user's mistake in a YAML file, named by file, line and field.</summary>
public sealed class InputFileException(string file, long line, string field, string problem)
    : Exception(line > 0 ? $"{file}:{line}: {field}: {problem}" : $"{file}: {field}: {problem}")
{
    public string File { get; } = file;
    public long Line { get; } = line;
    public string Field { get; } = field;
    public string Problem { get; } = problem;
}

/// <summary>
/// A typed view over one YAML mapping that knows where each value came from, so every error names
/// the file, line and dotted field path. Reading is strict: unknown keys are errors.
/// </summary>
public sealed class YamlSection
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _read = [];

    private YamlSection(string file, string path, YamlMappingNode node)
    {
        File = file;
        Path = path;
        _node = node;
    }

    public string File { get; }
    public string Path { get; }
    public long Line => _node.Start.Line;

    /// <summary>Parses a file's text; a syntax error names the line it was found on.</summary>
    public static YamlSection Parse(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new InputFileException(file, e.Start.Line, "(syntax)", FirstLine(e.InnerException?.Message ?? e.Message));
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet reports some malformed documents (e.g. an unclosed flow list) this way, without a position.
            throw new InputFileException(file, 0, "(syntax)", $"malformed YAML: {FirstLine(e.Message)}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InputFileException(file, 1, "(document)", "expected a mapping of fields at the top level");
        }

        return new YamlSection(file, "", root);
    }

    public InputFileException Error(string key, string problem) =>
        new(File, Find(key)?.Start.Line ?? Line, FieldName(key), problem);

    public bool Has(string key) => Find(key) is not null;

    public string RequiredString(string key) =>
        OptionalString(key) ?? throw new InputFileException(File, Line, FieldName(key), "is required");

    public string? OptionalString(string key)
    {
        var node = Take(key);
        return node switch
        {
            null => null,
            YamlScalarNode { Value: var v } when !string.IsNullOrWhiteSpace(v) => v,
            YamlScalarNode => throw Error(key, "must not be empty"),
            _ => throw Error(key, "expected a single value, not a list or mapping"),
        };
    }

    public int Int(string key, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, out var value) || value < min || value > max)
        {
            throw Error(key, $"expected an integer in [{min}, {max}], got '{text}'");
        }

        return value;
    }

    public double Double(string key, double fallback, double min = double.MinValue)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min)
        {
            throw Error(key, $"expected a number >= {min}, got '{text}'");
        }

        return value;
    }

    public double? OptionalDouble(string key) => Has(key) ? Double(key, 0) : null;

    public int? OptionalInt(string key) => Has(key) ? Int(key, 0) : null;

    /// <summary>A list of strings; a single scalar is accepted as a one-item list.</summary>
    public IReadOnlyList<string> Strings(string key, bool required = false)
    {
        var node = Take(key);
        switch (node)
        {
            case null when required:
                throw new InputFileException(File, Line, FieldName(key), "is required");
            case null:
                return [];
            case YamlScalarNode scalar when !string.IsNullOrEmpty(scalar.Value):
                return [scalar.Value];
            case YamlSequenceNode sequence:
                var items = new List<string>();
                foreach (var item in sequence)
                {
                    if (item is not YamlScalarNode { Value: { } value })
                    {
                        throw new InputFileException(File, item.Start.Line, FieldName(key), "expected a list of plain values");
                    }

                    items.Add(value);
                }

                if (required && items.Count == 0)
                {
                    throw Error(key, "must list at least one value");
                }

                return items;
            default:
                throw Error(key, "expected a list of values");
        }
    }

    /// <summary>A mapping of names to lists of values, e.g. <c>{ shellsort: [openmp], karatsuba: [mpi] }</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ListsByName(string key)
    {
        var section = Section(key);
        if (section is null)
        {
            return new Dictionary<string, IReadOnlyList<string>>();
        }

        var lists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (keyNode, _) in section._node.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            lists[name] = section.Strings(name, required: true);
        }

        return lists;
    }

    /// <summary>A mapping of names to single values, e.g. <c>{ N: 2000, STEPS: 10 }</c>.</summary>
    public IReadOnlyDictionary<string, string> ScalarsByName(string key)
    {
        var section = Section(key);
        if (section is null)
        {
            return new Dictionary<string, string>();
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in section._node.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            values[name] = value is YamlScalarNode scalar ? scalar.Value ?? "" : throw section.Error(name, "expected a single value, not a list or mapping");
        }

        return values;
    }

    public IReadOnlyList<int> Ints(string key, int min, IReadOnlyList<int> fallback)
    {
        if (!Has(key))
        {
            return fallback;
        }

        var values = Strings(key, required: true);
        var result = new List<int>();
        foreach (var text in values)
        {
            if (!int.TryParse(text, out var value) || value < min)
            {
                throw Error(key, $"expected integers >= {min}, got '{text}'");
            }

            result.Add(value);
        }

        return result;
    }

    public YamlSection? Section(string key)
    {
        var node = Take(key);
        return node switch
        {
            null => null,
            YamlMappingNode mapping => new YamlSection(File, FieldName(key), mapping),
            _ => throw Error(key, "expected a mapping of fields"),
        };
    }

    /// <summary>A list of mappings, each read as its own section.</summary>
    public IReadOnlyList<YamlSection> Sections(string key)
    {
        var node = Take(key);
        switch (node)
        {
            case null:
                return [];
            case YamlSequenceNode sequence:
                var sections = new List<YamlSection>();
                var index = 0;
                foreach (var item in sequence)
                {
                    if (item is not YamlMappingNode mapping)
                    {
                        throw new InputFileException(File, item.Start.Line, $"{FieldName(key)}[{index}]", "expected a mapping of fields");
                    }

                    sections.Add(new YamlSection(File, $"{FieldName(key)}[{index++}]", mapping));
                }

                return sections;
            default:
                throw Error(key, "expected a list");
        }
    }

    /// <summary>The keys of this mapping whose values are mappings, as named sections (e.g. input sets).</summary>
    public IReadOnlyList<(string Name, YamlSection Section)> NamedSections()
    {
        var result = new List<(string, YamlSection)>();
        foreach (var (keyNode, value) in _node.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            _read.Add(key);
            if (value is not YamlMappingNode mapping)
            {
                throw new InputFileException(File, keyNode.Start.Line, FieldName(key), "expected a mapping of fields");
            }

            result.Add((key, new YamlSection(File, FieldName(key), mapping)));
        }

        return result;
    }

    /// <summary>Fails on the first key that no reader asked for: a typo must not pass silently.</summary>
    public void RejectUnknownFields()
    {
        foreach (var (keyNode, _) in _node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!_read.Contains(key))
            {
                throw new InputFileException(File, keyNode.Start.Line, FieldName(key), "unknown field");
            }
        }
    }

    private YamlNode? Take(string key)
    {
        _read.Add(key);
        return Find(key);
    }

    private YamlNode? Find(string key) =>
        _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private string FieldName(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
