using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kernelsmith.Agents.Node.Execution;

/// <summary>
/// GNU time inside the sandbox, as its init (bwrap --as-pid-1), before the program: it waits for the program and
/// appends the user and system time of every process the program reaped to its stderr, from where the agent takes
/// it back out. So a run that used more cores than it was given shows up (CPU time well over wall time x cores). It
/// has to be inside: bwrap's outer process exits without reaping the program, so a clock around bwrap sees nothing;
/// and it has to be init, which nothing in the namespace can kill. Its exit status is the program's (128 + the
/// signal when one killed it), as bwrap would report it.
/// </summary>
public static partial class CpuClock
{
    private const string Tool = "/usr/bin/time";
    private const string Marker = "@@kernelsmith-cpu";

    /// <summary>What goes before the program; nothing when GNU time is not installed (CPU times are then 0).</summary>
    public static IReadOnlyList<string> Arguments { get; } =
        File.Exists(Tool) ? [Tool, "--quiet", $"--format={Marker} %U %S", "--"] : [];

    /// <summary>The CPU seconds GNU time appended to <paramref name="stderr"/>, and how many bytes at its end the report takes; (0, 0) when there is none.</summary>
    public static (double Seconds, int ReportBytes) Find(byte[] stderr)
    {
        var tail = Encoding.UTF8.GetString(stderr, Math.Max(0, stderr.Length - 100), Math.Min(100, stderr.Length));
        var match = Report().Match(tail);
        if (!match.Success)
        {
            return (0, 0);
        }

        var seconds = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) + double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        return (seconds, Encoding.UTF8.GetByteCount(match.Value));
    }

    [GeneratedRegex(Marker + @" ([0-9]+\.[0-9]+) ([0-9]+\.[0-9]+)\n\z")]
    private static partial Regex Report();
}
