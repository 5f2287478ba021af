using System.Globalization;

namespace Kernelsmith.Contracts.Experiments;

/// <summary>
/// Which experiment: one kernel x technology x model x prompt x sample of a sweep. Its text,
/// <c>sweep/kernel/technology/model/prompt/sample</c>, is the experiment grain's key and the record's <c>experiment</c>.
/// No part holds a <c>/</c> (the spec loader refuses such sweep names and model ids), so the text parses back exactly.
/// </summary>
public readonly record struct ExperimentId(string Sweep, string Kernel, string Technology, string Model, string Prompt, int Sample)
{
    public const char Separator = '/';

    public override string ToString() => string.Join(Separator, Sweep, Kernel, Technology, Model, Prompt, Sample.ToString(CultureInfo.InvariantCulture));

    /// <summary>The experiment an id's text names; a text of another shape is a <see cref="FormatException"/> naming it.</summary>
    public static ExperimentId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not an experiment id (sweep/kernel/technology/model/prompt/sample)");

    public static bool TryParse(string text, out ExperimentId id)
    {
        var parts = text.Split(Separator);
        if (parts.Length == 6 && parts.All(p => p.Length > 0) && int.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out var sample))
        {
            id = new ExperimentId(parts[0], parts[1], parts[2], parts[3], parts[4], sample);
            return true;
        }

        id = default;
        return false;
    }
}
