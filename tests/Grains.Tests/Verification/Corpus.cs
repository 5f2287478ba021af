using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Tests.Verification;

/// <summary>How a corpus case turns into a message: compiled, run, compared, checked statically, or read from a fixture.</summary>
public enum CorpusKind
{
    Build,
    Run,
    Verify,
    Parallelism,
    BuildFixture,
    RunFixture,
}

/// <summary>
/// One labelled example: a program under Verification/Corpus and one of its commands, or a text fixture.
/// The expected category is the file name up to its first dot (<c>mpi_invalid_rank.c</c>, <c>missing_header.true.c</c>).
/// </summary>
public sealed record CorpusCase(string Name, string File, string Expected, CorpusKind Kind, string Technology, string? Build, string? Run)
{
    public bool IsReal => Kind is not (CorpusKind.BuildFixture or CorpusKind.RunFixture);
}

/// <summary>
/// The corpus and its directives. A program starts with a comment whose lines say how to produce its message:
/// <c>build:</c> (a compiler command; in build/ it must fail), <c>run:</c> (runs the latest build), <c>technology:</c>,
/// <c>timeout:</c> (seconds, for programs that never finish), and in verify/ <c>reference-build:</c>, <c>reference:</c>,
/// <c>repeat:</c> and <c>check: parallelism</c>. In commands, {src} is the program, {exe} and {ref} the executables,
/// and leading NAME=value words set the environment. nvcc/ and cuda-run/ hold text fixtures: no CUDA toolkit here;
/// agent-run/ holds what an agent reports of a job it stopped at one of its limits (<c># limit:</c> and
/// <c># message:</c>, as the sandbox reports them), since the corpus runs its programs without an agent.
/// </summary>
public static partial class Corpus
{
    public static string Directory { get; } = Path.Combine(TestCatalog.RepositoryRoot, "tests", "Grains.Tests", "Verification", "Corpus");

    public static IReadOnlyList<CorpusCase> Cases { get; } = Load();

    public static IEnumerable<object[]> Names => Cases.Select(c => new object[] { c.Name });

    public static IReadOnlyDictionary<string, string> Directives(string file) =>
        Header(file).GroupBy(d => d.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);

    /// <summary>The directives of a program's leading comment, in order (build and run repeat).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Header(string file)
    {
        var text = System.IO.File.ReadAllText(Path.Combine(Directory, file));
        var end = text.IndexOf("*/", StringComparison.Ordinal);
        if (!text.StartsWith("/* corpus", StringComparison.Ordinal) || end < 0)
        {
            return [];
        }

        return [.. DirectiveLine().Matches(text[..end]).Select(m => KeyValuePair.Create(m.Groups["key"].Value, m.Groups["value"].Value.Trim()))];
    }

    public static string Category(string file) => Path.GetFileName(file).Split('.')[0];

    private static List<CorpusCase> Load()
    {
        var cases = new List<CorpusCase>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var file = Path.GetRelativePath(Directory, path).Replace('\\', '/');
            var folder = file.Split('/')[0];
            var expected = Category(file);
            if (folder == "nvcc")
            {
                cases.Add(new(file, file, expected, CorpusKind.BuildFixture, Technologies.Cuda, null, null));
                continue;
            }

            if (folder == "cuda-run")
            {
                cases.Add(new(file, file, expected, CorpusKind.RunFixture, Technologies.Cuda, null, null));
                continue;
            }

            if (folder == "agent-run")
            {
                cases.Add(new(file, file, expected, CorpusKind.RunFixture, Technologies.OpenMp, null, null));
                continue;
            }

            var header = Header(file);
            var technology = header.LastOrDefault(d => d.Key == "technology").Value ?? BuildRecipe.Sequential;
            string? build = null;
            foreach (var (key, value) in header)
            {
                if (key == "check")
                {
                    cases.Add(new(file, file, expected, CorpusKind.Parallelism, technology, null, null));
                }
                else if (key == "build" && folder == "build")
                {
                    cases.Add(new($"{file} ({Tool(value)})", file, expected, CorpusKind.Build, technology, value, null));
                }
                else if (key == "build")
                {
                    build = value;
                }
                else if (key == "run")
                {
                    var kind = folder == "verify" ? CorpusKind.Verify : CorpusKind.Run;
                    cases.Add(new($"{file} ({Tool(build!)}, {Tool(value)})", file, expected, kind, technology, build, value));
                }
            }
        }

        return cases;
    }

    /// <summary>The command's tool, for a case's name: "gcc", "LC_ALL=C.UTF-8 gcc", "mpirun.mpich", "prlimit".</summary>
    private static string Tool(string command)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var tool = words.First(w => !w.Contains('=', StringComparison.Ordinal));
        var environment = words.TakeWhile(w => w.Contains('=', StringComparison.Ordinal) && w.StartsWith("LC_", StringComparison.Ordinal));
        return string.Join(' ', environment.Append(tool == "{exe}" ? "program" : tool));
    }

    [GeneratedRegex(@"^\s*\*\s*(?<key>build|run|technology|timeout|reference-build|reference|repeat|check):\s*(?<value>.*)$", RegexOptions.Multiline)]
    private static partial Regex DirectiveLine();
}

/// <summary>What one case produced: the raw log it was classified from and the findings.</summary>
public sealed record CorpusResult(string Log, IReadOnlyList<ErrorFinding> Findings, string? Problem);

/// <summary>
/// Produces every message of the corpus once, with the real compilers, MPI launchers and sanitizers, a few
/// programs at a time; each test then only looks up its case.
/// </summary>
public sealed class CorpusFixture : IAsyncLifetime
{
    private static readonly OutputComparison s_exact = new(ComparisonModes.Exact, 0, 0, []);
    private readonly ConcurrentDictionary<string, CorpusResult> _results = new(StringComparer.Ordinal);
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "kernelsmith-tests", "corpus-" + Guid.NewGuid().ToString("n")[..8]);

    private readonly ConcurrentDictionary<string, string> _hung = new(StringComparer.Ordinal);

    /// <summary>Cases whose program or build ran into the generous 60 s limit without being meant to hang, with the step.</summary>
    public IReadOnlyDictionary<string, string> Hung => _hung;

    public CorpusResult Result(string name) => _results[name];

    public async Task InitializeAsync()
    {
        // Programs that wait for a timeout or start MPI jobs go first: they mostly wait, and the compilations fill the gaps.
        var files = Corpus.Cases.GroupBy(c => c.File)
            .OrderByDescending(f => Corpus.Directives(f.Key).ContainsKey("timeout"))
            .ThenByDescending(f => f.First().Technology == Technologies.Mpi)
            .ThenByDescending(f => f.First().Kind)
            .ToList();
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 2 * Math.Max(2, Environment.ProcessorCount) }, async (file, _) =>
        {
            var directory = Path.Combine(_scratch, file.Key.Replace('/', '_'));
            System.IO.Directory.CreateDirectory(directory);
            foreach (var @case in file)
            {
                try
                {
                    _results[@case.Name] = await ProduceAsync(@case, directory);
                }
                catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
                {
                    _results[@case.Name] = new("", [], $"could not produce the message: {e.Message}");
                }
            }
        });
    }

    public Task DisposeAsync()
    {
        if (System.IO.Directory.Exists(_scratch))
        {
            System.IO.Directory.Delete(_scratch, recursive: true);
        }

        return Task.CompletedTask;
    }

    private async Task<CorpusResult> ProduceAsync(CorpusCase @case, string directory)
    {
        var path = Path.Combine(Corpus.Directory, @case.File);
        var source = Path.GetFileName(@case.File);
        var directives = @case.IsReal ? Corpus.Directives(@case.File) : new Dictionary<string, string>();
        // The timeout directive is for the step meant to hang: the build in build/, the runs elsewhere.
        var generous = TimeSpan.FromSeconds(60);
        var timeout = directives.TryGetValue("timeout", out var seconds) ? TimeSpan.FromSeconds(double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)) : generous;
        switch (@case.Kind)
        {
            case CorpusKind.BuildFixture or CorpusKind.RunFixture:
                var lines = File.ReadAllLines(path);
                var log = string.Join('\n', lines.SkipWhile(l => l.StartsWith('#')));
                string Said(string key) => lines.TakeWhile(l => l.StartsWith('#')).Select(l => l.TrimStart('#', ' '))
                    .FirstOrDefault(l => l.StartsWith(key + ":", StringComparison.Ordinal))?[(key.Length + 1)..].Trim() ?? "";
                var outcome = Said("limit") is { Length: > 0 } limit
                    ? new JobOutcome(false, 0, 9, log, limit, Said("message"))
                    : new JobOutcome(false, 1, 0, log);
                return new(log, @case.Kind == CorpusKind.BuildFixture ? ErrorTaxonomy.ClassifyBuild(outcome) : ErrorTaxonomy.ClassifyRun(outcome, @case.Technology), null);

            case CorpusKind.Parallelism:
                var report = ParallelismCheck.Check([new CodeFile(source, await File.ReadAllTextAsync(path))], @case.Technology);
                return new(report.Reason, ErrorTaxonomy.ClassifyParallelism(report), null);
        }

        File.Copy(path, Path.Combine(directory, source), overwrite: true);
        var build = (await TestProcess.RunAsync(@case.Build!, directory, source, @case.Kind == CorpusKind.Build ? timeout : generous)).Outcome;
        if (@case.Kind == CorpusKind.Build)
        {
            return new(build.Log, ErrorTaxonomy.ClassifyBuild(build), build.ExitCode == 0 && !build.TimedOut ? "the build succeeded" : null);
        }

        if (build.ExitCode != 0 || build.TimedOut)
        {
            return new(build.Log, [], "the build failed:\n" + build.Log);
        }

        if (@case.Kind == CorpusKind.Run)
        {
            // mpirun now and then loses what a failing rank printed (see docs/taxonomy.md), and now and then its
            // teardown after an abort never ends (seen once on CI, not in 160 runs under load here); such a run is
            // no example of anything, so the message is produced again. A rule that fails keeps failing, and a
            // program that really hangs keeps hanging, retried or not.
            for (var attempt = 1; ; attempt++)
            {
                var run = (await TestProcess.RunAsync(@case.Run!, directory, source, timeout)).Outcome;
                var hung = run.TimedOut && !directives.ContainsKey("timeout");
                var findings = ErrorTaxonomy.ClassifyRun(run, @case.Technology);
                var lost = @case.Technology == Technologies.Mpi && (hung || findings is [{ Category: ErrorCategories.NonzeroExit }]);
                if (!lost || attempt == 3)
                {
                    if (hung)
                    {
                        _hung[@case.Name] = @case.Run!;
                    }

                    return new(run.Log, findings, null);
                }
            }
        }

        if (directives.TryGetValue("reference-build", out var referenceBuild))
        {
            await TestProcess.RunAsync(referenceBuild, directory, source, generous);
        }

        var reference = (await TestProcess.RunAsync(directives["reference"], directory, source, timeout)).Stdout;
        var outputs = new List<string>();
        for (var i = 0; i < int.Parse(directives.GetValueOrDefault("repeat", "1"), System.Globalization.CultureInfo.InvariantCulture); i++)
        {
            outputs.Add((await TestProcess.RunAsync(@case.Run!, directory, source, timeout)).Stdout);
        }

        var where = @case.Run!;
        return new(string.Join("\n", outputs.Prepend(reference)), ErrorTaxonomy.ClassifyOutputs(reference, outputs, s_exact, where), null);
    }
}
