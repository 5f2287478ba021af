using System.Text.RegularExpressions;
using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Grains.Verification;

/// <summary>
/// Collects findings in the order they were found, once each: the same error reported by every rank,
/// every thread or every function counts once, under the key that says what it is, not where or who.
/// </summary>
internal sealed partial class FindingList(string stage)
{
    /// <summary>A log with hundreds of errors is mostly consequences of the first few.</summary>
    public const int MaxFindings = 20;

    public const int MaxMessageChars = 2000;

    private const int MaxLineChars = 4000;

    private readonly List<ErrorFinding> _findings = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    public int Count => _findings.Count;

    public IReadOnlyList<ErrorFinding> Findings => _findings;

    public bool Any(Func<string, bool> category) => _findings.Any(f => category(f.Category));

    public void Add(string category, string message, string key)
    {
        if (_findings.Count >= MaxFindings || !_keys.Add(category + "\u0001" + Normalize(key)))
        {
            return;
        }

        _findings.Add(new ErrorFinding(stage, category, Text.Clip(message.Trim('\n'), MaxMessageChars)));
    }

    /// <summary>The lines of a log, each clipped so that no rule ever scans a pathological line.</summary>
    public static string[] Lines(string log) =>
        [.. log.ReplaceLineEndings("\n").Split('\n').Select(l => Text.Clip(l.TrimEnd(), MaxLineChars))];

    /// <summary>The last few non-empty lines: what a status finding keeps of the raw log.</summary>
    public static string Tail(string log, int count = 6) =>
        string.Join('\n', Lines(log).Where(l => l.Trim().Length > 0).TakeLast(count));

    /// <summary>What identifies an error regardless of process ids, addresses, paths of temporary objects and ranks.</summary>
    private static string Normalize(string key) => Volatile().Replace(key, "#").Trim();

    // ==1234==, (pid=1234), [host:01234], 0x7ffd..., BuildId: ..., /tmp/ccAbc123.o, PID 1234, process [123,4]
    [GeneratedRegex(@"==\d+==|\(pid=\d+\)|\[[\w.-]+:\d+\]|0x[0-9a-fA-F]+|BuildId: \w+|/tmp/[\w.-]+|PID \d+|process \[\d+,\d+\]|\b\d{3,}\b")]
    private static partial Regex Volatile();
}
