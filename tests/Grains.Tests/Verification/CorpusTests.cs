using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Tests.Verification;

/// <summary>
/// The classifier against real messages: every program of the corpus is compiled and run here with gcc, clang,
/// Open MPI, MPICH and the sanitizers, and its message must get the category its file is named for.
/// </summary>
public sealed class CorpusTests(CorpusFixture corpus) : IClassFixture<CorpusFixture>
{
    /// <summary>Lines a status finding writes itself, above the raw lines it keeps.</summary>
    private static readonly string[] s_statusHeaders =
        ["killed by signal ", "killed: ", "exit code ", "no result within the time limit", "the compiler did not finish", "the build failed (exit code", "the MPI library's message was lost"];

    [Theory]
    [MemberData(nameof(Corpus.Names), MemberType = typeof(Corpus))]
    public void Classify_CorpusMessage_FirstFindingHasTheFileCategory(string name)
    {
        var @case = Corpus.Cases.Single(c => c.Name == name);
        var result = corpus.Result(name);

        Assert.Null(result.Problem);
        Assert.True(result.Findings.Count > 0, $"no finding for:\n{result.Log}");
        Assert.True(@case.Expected == result.Findings[0].Category,
            $"expected {@case.Expected}, got {string.Join(", ", result.Findings.Select(f => f.Category))} for:\n{result.Log}");
    }

    [Theory]
    [MemberData(nameof(Corpus.Names), MemberType = typeof(Corpus))]
    public void Classify_CorpusMessage_KeepsTheRawText(string name)
    {
        var @case = Corpus.Cases.Single(c => c.Name == name);
        var result = corpus.Result(name);
        if (@case.Kind is CorpusKind.Verify or CorpusKind.Parallelism)
        {
            return;
        }

        var raw = result.Log.Split('\n').Select(l => l.TrimEnd()).ToHashSet(StringComparer.Ordinal);
        foreach (var finding in result.Findings)
        {
            var kept = finding.Message.Split('\n').Where(l => !s_statusHeaders.Any(h => l.StartsWith(h, StringComparison.Ordinal)));
            Assert.All(kept, line => Assert.Contains(line, raw));
            Assert.True(finding.Message.Length > 0);
        }
    }

    [Fact]
    public void Corpus_EveryCategory_HasAnExampleAndNoExampleIsMislabelled()
    {
        var labelled = Corpus.Cases.Select(c => c.Expected).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(ErrorCategories.All.Except(labelled));
        Assert.Empty(labelled.Except(ErrorCategories.All));
    }

    [Fact]
    public void Corpus_EveryCategoryButCudaRuntimeErrors_HasAMessageProducedHere()
    {
        // No GPU and no CUDA toolkit here: the CUDA runtime's own errors exist only as text fixtures. An agent's own
        // limits need an agent: ResourceAbuseTests floods a real one, the corpus keeps what it reports.
        string[] fixtureOnly = [ErrorCategories.CudaLaunchError, ErrorCategories.CudaError, ErrorCategories.OutputLimit];
        var real = Corpus.Cases.Where(c => c.IsReal).Select(c => c.Expected).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(ErrorCategories.All.Except(fixtureOnly).Except(real));
    }

    [Fact]
    public void Corpus_RealMessages_ComeFromEveryToolchain()
    {
        var commands = Corpus.Cases.Where(c => c.IsReal).SelectMany(c => new[] { c.Build ?? "", c.Run ?? "" }).ToList();

        Assert.All(["gcc ", "clang ", "mpicc ", "mpicc.mpich ", "mpirun.mpich ", "-fsanitize=thread", "-fsanitize=address", "-fsanitize=undefined", "-x cuda"],
            tool => Assert.Contains(commands, c => c.Contains(tool, StringComparison.Ordinal)));
    }

    /// <summary>
    /// A program meant to crash that hangs instead is caught by its limit, not by a wall-clock bound on the whole
    /// corpus (which a machine shared with other builds would break).
    /// </summary>
    [Fact]
    public void Corpus_ProgramsNotMeantToHang_NeverReachTheirLimit() => Assert.Empty(corpus.Hung);
}
