// In the root namespace: every project's code finds Text.Clip without a using, as it did when it lived in Grains.
namespace Kernelsmith;

/// <summary>Shortening text for findings, feedback, logs and report cells: the one way to clip.</summary>
public static class Text
{
    /// <summary>The marker of a clipped log, on a line of its own so it is not read as the program's output.</summary>
    public const string LogMarker = "\n[clipped]";

    /// <summary>The text, or its beginning followed by <paramref name="marker"/>, at most <paramref name="max"/> characters in all.</summary>
    public static string Clip(string text, int max, string marker = "...") =>
        text.Length <= max ? text : text[..Math.Max(0, max - marker.Length)] + marker;
}
