using System.Text.Json;
using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Results;

/// <summary>
/// The results directory of a sweep: <c>results.jsonl</c> appended as experiments finish, <c>results.csv</c> and <c>results.parquet</c>,
/// and each attempt's prompt, answer, extracted files and logs under <c>experiments/</c>.
/// </summary>
public sealed class ResultsDirectory
{
    public const string JsonLines = "results.jsonl";
    public const string Csv = "results.csv";
    public const string Parquet = "results.parquet";

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public ResultsDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Appends one final record and writes its attempts; a failing write throws, it is never skipped.</summary>
    public void Append(ExperimentRecord record)
    {
        using (var stream = new FileStream(System.IO.Path.Combine(Path, JsonLines), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read))
        {
            DropIncompleteLastLine(stream);
            stream.Seek(0, SeekOrigin.End);
            var line = JsonSerializer.SerializeToUtf8Bytes(record, Json);
            stream.Write(line);
            stream.WriteByte((byte)'\n');
            stream.Flush(flushToDisk: true);
        }

        WriteAttempts(record);
    }

    /// <summary>Reads back every record of a results directory.</summary>
    public IReadOnlyList<ExperimentRecord> ReadRecords()
    {
        var file = System.IO.Path.Combine(Path, JsonLines);
        if (!File.Exists(file))
        {
            return [];
        }

        var text = File.ReadAllText(file);
        var lines = text.Split('\n');
        var records = new List<ExperimentRecord>();
        for (var index = 0; index < lines.Length; index++)
        {
            if (lines[index].Length == 0)
            {
                continue;
            }

            try
            {
                records.Add(Upgraded(JsonSerializer.Deserialize<ExperimentRecord>(lines[index], Json) ?? throw new JsonException("empty record")));
            }
            catch (JsonException e) when (index == lines.Length - 1)
            {
                // A run killed mid-write leaves its last line cut off; everything before it is intact.
                Console.Error.WriteLine($"warning: {file}:{index + 1}: skipped an incomplete last record ({FirstLine(e.Message)})");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{file}:{index + 1}: not a valid record: {FirstLine(e.Message)}", e);
            }
        }

        return records;

        static string FirstLine(string message) => message.Split('\n')[0];
    }

    /// <summary>
    /// A record written before <c>not_parallel</c> was a verdict of its own says <c>correct</c> with <c>parallel</c> false:
    /// read as it would be written now, so no reader takes it for a successful port.
    /// </summary>
    private static ExperimentRecord Upgraded(ExperimentRecord record) =>
        record is { Verdict: Verdict.Correct, Parallel: false }
            ? record with
            {
                Verdict = Verdict.NotParallel,
                Reason = record.Taxonomy.LastOrDefault(f => f.Category == "not_parallel")?.Message is { Length: > 0 } why ? $"not parallel: {why}" : "not parallel",
                Speedup = null,
                BestThreads = null,
            }
            : record;

    /// <summary>A record cut off mid-write (a killed run) is dropped before the next is appended, not glued to it.</summary>
    private static void DropIncompleteLastLine(FileStream stream)
    {
        if (!stream.CanSeek || stream.Length == 0)
        {
            return;
        }

        var end = stream.Length;
        stream.Seek(end - 1, SeekOrigin.Begin);
        if (stream.ReadByte() == '\n')
        {
            return;
        }

        var position = end - 1;
        while (position > 0)
        {
            stream.Seek(position - 1, SeekOrigin.Begin);
            if (stream.ReadByte() == '\n')
            {
                break;
            }

            position--;
        }

        stream.SetLength(position);
    }

    /// <summary>Writes <c>results.csv</c>: one <see cref="ResultRow"/> per record, a header of stable column names.</summary>
    public void WriteCsv(IReadOnlyList<ExperimentRecord> records) =>
        TableFiles.WriteCsv(System.IO.Path.Combine(Path, Csv), records.Select(ResultRow.From));

    /// <summary>Writes <c>results.parquet</c>: the same rows and columns as the CSV, typed.</summary>
    public Task WriteParquetAsync(IReadOnlyList<ExperimentRecord> records, CancellationToken cancellationToken) =>
        TableFiles.WriteParquetAsync(System.IO.Path.Combine(Path, Parquet), records.Select(ResultRow.From), cancellationToken);

    /// <summary>A round's system turn, beside its <c>prompt.md</c> (the first round's only: later rounds add feedback to the same conversation).</summary>
    public const string SystemFile = "system.md";

    /// <summary>Where an experiment's attempts are written, relative to the results directory.</summary>
    public static string AttemptsFolder(ExperimentRecord record) =>
        ExperimentId.TryParse(record.Experiment, out var id)
            ? string.Join('/', ["experiments", .. new[] { id.Kernel, id.Technology, id.Model, id.Prompt, id.Sample.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Select(Safe)])
            // Recorded by a version that let a sweep name or model id hold a '/': one folder per part after the first.
            : string.Join('/', ["experiments", .. record.Experiment.Split('/').Skip(1).Select(Safe)]);

    private void WriteAttempts(ExperimentRecord record)
    {
        foreach (var attempt in record.Attempts)
        {
            var folder = System.IO.Path.Combine(Path, AttemptsFolder(record), $"round-{attempt.Round}");
            Directory.CreateDirectory(System.IO.Path.Combine(folder, "files"));
            if (attempt.System.Length > 0)
            {
                File.WriteAllText(System.IO.Path.Combine(folder, SystemFile), attempt.System);
            }

            File.WriteAllText(System.IO.Path.Combine(folder, "prompt.md"), attempt.Prompt);
            File.WriteAllText(System.IO.Path.Combine(folder, "answer.md"), attempt.Answer);
            File.WriteAllText(System.IO.Path.Combine(folder, "extract.log"), attempt.ExtractLog);
            File.WriteAllText(System.IO.Path.Combine(folder, "build.log"), attempt.BuildLog);
            File.WriteAllText(System.IO.Path.Combine(folder, "run.log"), attempt.RunLog);
            File.WriteAllText(System.IO.Path.Combine(folder, "verdict.txt"), $"{attempt.Verdict.ToWireName()}\n{attempt.Feedback}\n");
            foreach (var file in attempt.Files)
            {
                File.WriteAllText(System.IO.Path.Combine(folder, "files", Safe(System.IO.Path.GetFileName(file.Path))), file.Content);
            }
        }
    }

    private static string Safe(string segment)
    {
        var safe = new string(segment.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return safe is "" or "." or ".." ? "_" : safe;
    }
}
