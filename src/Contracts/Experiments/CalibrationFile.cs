using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kernelsmith.Contracts.Experiments;

/// <summary>
/// A node's last calibration, kept on the node by <c>kernelsmith calibrate</c>: the agents there report it with their
/// capabilities and every record they time carries it in its provenance. It holds only for the hardware it was taken
/// on (an agent with other cores or another machine ignores it).
/// </summary>
public sealed record CalibrationFile(
    [property: JsonPropertyName("hardware")] string Hardware,
    [property: JsonPropertyName("measured_at")] DateTimeOffset MeasuredAt,
    [property: JsonPropertyName("counts")] IReadOnlyList<string> Counts)
{
    /// <summary>Where a node keeps it unless told otherwise (<c>--save</c>, <c>Agent:CalibrationFile</c>).</summary>
    public static string DefaultPath => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "kernelsmith", "calibration.json");

    /// <summary>One line per count: what provenance and <c>kernelsmith agents</c> show.</summary>
    public string Summary => $"{MeasuredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC: {string.Join("; ", Counts)}";

    /// <summary>One count's figures in a line: bias, interval, half-width, pairs, cv, and noisy when the precision was not reached.</summary>
    public static string Describe(Calibration calibration)
    {
        var t = calibration.Timing;
        var interval = t.SpeedupCi is [var low, var high] ? $" [{low.ToString("F3", CultureInfo.InvariantCulture)}, {high.ToString("F3", CultureInfo.InvariantCulture)}]" : "";
        return $"{calibration.Kernel}/{calibration.Input} at {calibration.Threads} thread(s): bias {t.Speedup.ToString("F3", CultureInfo.InvariantCulture)}{interval}, " +
            $"half-width {(calibration.HalfWidth * 100).ToString("F1", CultureInfo.InvariantCulture)} %, {t.Pairs} pairs, cv {t.Cv.ToString("F3", CultureInfo.InvariantCulture)}{(t.Noisy ? ", noisy" : "")}";
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The calibration at <paramref name="path"/> when there is one, readable, and taken on <paramref name="hardware"/>.</summary>
    public static CalibrationFile? Load(string path, string hardware)
    {
        try
        {
            return File.Exists(path) && JsonSerializer.Deserialize<CalibrationFile>(File.ReadAllText(path)) is { } file && file.Hardware == hardware ? file : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
