using System.Diagnostics;
using System.Text;
using Kernelsmith.Cli.Commands;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Verification;
using Kernelsmith.Grains.Yaml;
using Kernelsmith.Results;
using Xunit.Abstractions;

namespace Kernelsmith.Cli.Tests.Verification;

/// <summary>
/// One corpus program's expectation, from <c>TestData/verifier/expected.yaml</c>. A race whose damage depends on
/// timing lists two outcomes ("a or b"): the verdicts and categories pair up by position.
/// </summary>
public sealed record CorpusExpectation(
    string Program,
    IReadOnlyList<string> Verdicts,
    IReadOnlyList<string> Categories,
    bool Parallel,
    bool NeedsSanitizers,
    bool NeedsAmplifiedInputs,
    string Why)
{
    public const string NoFinding = "none";

    /// <summary>The sweep folder (programs or strict), kernel, technology and sample the program's path stands for.</summary>
    public (string Tree, string Kernel, string Technology, int Sample) Key
    {
        get
        {
            var parts = Program.Split('/');
            return (parts[0], parts[1], parts[2], int.Parse(Path.GetFileNameWithoutExtension(parts[3]), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public static IReadOnlyList<CorpusExpectation> Load(string file)
    {
        var yaml = YamlSection.Parse(file, File.ReadAllText(file));
        var expectations = new List<CorpusExpectation>();
        foreach (var entry in yaml.Sections("programs"))
        {
            var verdicts = Alternatives(entry.RequiredString("verdict"));
            var categories = Alternatives(entry.RequiredString("category"));
            if (verdicts.Count != categories.Count)
            {
                throw entry.Error("category", "give one category per verdict");
            }

            foreach (var verdict in verdicts.Where(v => !Enum.GetValues<Verdict>().Select(x => x.ToWireName()).Contains(v)))
            {
                throw entry.Error("verdict", $"'{verdict}' is not a verdict");
            }

            foreach (var category in categories.Where(c => c != NoFinding && !ErrorCategories.All.Contains(c)))
            {
                throw entry.Error("category", $"'{category}' is not a taxonomy category");
            }

            expectations.Add(new CorpusExpectation(
                entry.RequiredString("program"),
                verdicts,
                categories,
                Flag(entry, "parallel"),
                Flag(entry, "sanitizers"),
                Flag(entry, "amplified"),
                entry.RequiredString("why")));
            entry.RejectUnknownFields();
        }

        yaml.RejectUnknownFields();
        return expectations;
    }

    private static List<string> Alternatives(string text) => [.. text.Split(" or ", StringSplitOptions.TrimEntries)];

    private static bool Flag(YamlSection entry, string key) => entry.OptionalString(key) switch
    {
        null or "false" => false,
        "true" => true,
        var other => throw entry.Error(key, $"expected true or false, got '{other}'"),
    };
}

/// <summary>
/// Runs the whole verifier corpus as two embedded sweeps through the replay model: real gcc, g++, Open MPI, clang
/// sanitizers, gRPC agent and Orleans silo, exactly as a user's sweep. The main sweep runs each program once at
/// 1 to 3 threads or ranks; the strict sweep repeats each run and adds ThreadSanitizer and AddressSanitizer builds.
/// </summary>
public sealed class VerifierCorpusFixture : IAsyncLifetime
{
    public static string Folder => Repository.TestData("verifier");

    public IReadOnlyList<CorpusExpectation> Expectations { get; } = CorpusExpectation.Load(Path.Combine(Folder, "expected.yaml"));

    /// <summary>Every record of both sweeps, keyed by the replay folder it came from.</summary>
    public IReadOnlyList<(string Tree, ExperimentRecord Record)> Records { get; private set; } = [];

    public TimeSpan Elapsed { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        var records = new List<(string, ExperimentRecord)>();
        foreach (var (spec, tree) in new[] { ("corpus.yaml", "programs"), ("corpus-strict.yaml", "strict") })
        {
            var output = Path.Combine(Path.GetTempPath(), "kernelsmith-tests", $"verifier-{tree}-" + Guid.NewGuid().ToString("n")[..8]);
            await RunCommand.RunAsync(new FileInfo(Path.Combine(Folder, spec)), new DirectoryInfo(output), [Path.Combine(Folder, "kernels")], CancellationToken.None);
            records.AddRange(new ResultsDirectory(output).ReadRecords().Select(r => (tree, r)));
        }

        Records = records;
        Elapsed = clock.Elapsed;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public ExperimentRecord RecordOf(CorpusExpectation expected)
    {
        var (tree, kernel, technology, sample) = expected.Key;
        return Records.Single(r => r.Tree == tree && r.Record.Kernel == kernel && r.Record.Technology == technology && r.Record.Sample == sample).Record;
    }
}

public sealed class VerifierCorpusTests(VerifierCorpusFixture corpus, ITestOutputHelper output) : IClassFixture<VerifierCorpusFixture>
{
    [Fact]
    public void Corpus_HasAtLeastSixtyPrograms_AboutHalfCorrect_AcrossOpenMpAndMpi()
    {
        var programs = corpus.Expectations;
        var correct = programs.Count(p => p.Verdicts.SequenceEqual(["correct"]) && p.Categories[0] == CorpusExpectation.NoFinding);

        Assert.True(programs.Count >= 60, $"{programs.Count} programs");
        Assert.InRange(correct, programs.Count * 2 / 5, programs.Count * 3 / 5);
        Assert.Contains(programs, p => p.Key.Technology == "openmp");
        Assert.Contains(programs, p => p.Key.Technology == "mpi");
        Assert.Equal(programs.Count, programs.Select(p => p.Program).Distinct().Count());
        Assert.All(programs, p => Assert.True(File.Exists(Path.Combine(VerifierCorpusFixture.Folder, p.Program)), p.Program));
        // Uneven partitioning and hard-coded outputs can only be caught on inputs other than the main one.
        Assert.All(KernelCatalog.Load([Path.Combine(VerifierCorpusFixture.Folder, "kernels")]).Kernels, k => Assert.NotEmpty(k.Amplified));
    }

    [Fact]
    public void Verifier_JudgesEveryCorpusProgram_AsExpected()
    {
        var table = new StringBuilder();
        var mismatches = 0;
        foreach (var expected in corpus.Expectations)
        {
            var (tree, kernel, technology, sample) = expected.Key;
            var records = corpus.Records.Where(r => r.Tree == tree && r.Record.Kernel == kernel && r.Record.Technology == technology && r.Record.Sample == sample).ToList();
            var (verdicts, categories) = (expected.Verdicts, expected.Categories);
            string problem;
            if (records.Count != 1)
            {
                problem = $"{records.Count} records";
            }
            else
            {
                var record = records[0].Record;
                var verdict = record.Verdict.ToWireName();
                var category = record.Taxonomy.FirstOrDefault()?.Category ?? CorpusExpectation.NoFinding;
                var outcome = verdicts.Select((v, i) => (v, categories[i])).Contains((verdict, category));
                problem = !outcome ? $"got {verdict} / {category} ({Clip(record.Reason)})"
                    : record.Parallel != expected.Parallel ? $"parallel is {record.Parallel}"
                    : "";
            }

            output.WriteLine($"{(problem.Length > 0 ? "MISMATCH" : "ok"),-8} {expected.Program,-32} {string.Join(" or ", verdicts),-30} {string.Join(" or ", categories)}");
            if (problem.Length > 0)
            {
                mismatches++;
                table.AppendLine($"{expected.Program}: expected {string.Join(" or ", verdicts)} / {string.Join(" or ", categories)}, parallel {expected.Parallel}; {problem}. Why: {expected.Why}");
            }
        }

        output.WriteLine($"{corpus.Expectations.Count} programs in {corpus.Elapsed.TotalSeconds:F0} s");
        Assert.True(mismatches == 0, $"{mismatches} of {corpus.Expectations.Count} corpus programs judged otherwise:\n{table}");
    }

    [Fact]
    public void Sweeps_RecordNothingButTheCorpus()
    {
        // Kernel x technology x sample slots with no program are answered "no recorded answer"; nothing else may appear.
        var known = corpus.Expectations.Select(e => e.Key).ToHashSet();
        var strays = corpus.Records
            .Where(r => !known.Contains((r.Tree, r.Record.Kernel, r.Record.Technology, r.Record.Sample)))
            .Where(r => r.Record.Verdict != Verdict.NoCode)
            .Select(r => $"{r.Tree}/{r.Record.Kernel}/{r.Record.Technology}/{r.Record.Sample}: {r.Record.Verdict.ToWireName()}")
            .ToList();

        Assert.Empty(strays);
        Assert.All(corpus.Records, r => Assert.True(r.Record.Provenance.Simulated, "replayed answers are labelled simulated"));
    }

    [Fact]
    public void AmplifiedInputs_CatchExactlyTheProgramsTheManifestSaysNeedThem()
    {
        var wrong = corpus.Expectations
            .Where(e => e.NeedsAmplifiedInputs != corpus.RecordOf(e).Reason.Contains("on the amplified input", StringComparison.Ordinal))
            .Select(e => $"{e.Program}: amplified {e.NeedsAmplifiedInputs}, reason '{corpus.RecordOf(e).Reason}'")
            .ToList();

        Assert.Empty(wrong);
    }

    [Fact]
    public void Sanitizers_AreNeededOnlyWhereTheManifestSaysSo()
    {
        // A program flagged as needing sanitizers must have been caught by a sanitizer run (or its output), and no other by one.
        foreach (var expected in corpus.Expectations)
        {
            var record = corpus.RecordOf(expected);
            var bySanitizer = record.Taxonomy.Any(t => t.Stage == FindingStages.Sanitize);
            if (!expected.NeedsSanitizers)
            {
                Assert.False(bySanitizer, $"{expected.Program} was caught by a sanitizer run, but the manifest says it needs none");
            }
            else if (expected.Verdicts.Count == 1)
            {
                Assert.True(bySanitizer, $"{expected.Program} needs a sanitizer run, but none caught it");
            }
        }
    }

    private static string Clip(string text) => text.Length <= 160 ? text.ReplaceLineEndings(" ") : text[..157].ReplaceLineEndings(" ") + "...";
}
