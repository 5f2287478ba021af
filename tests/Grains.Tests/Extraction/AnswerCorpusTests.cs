using Kernelsmith.Grains.Extraction;

namespace Kernelsmith.Grains.Tests.Extraction;

/// <summary>Extraction over a corpus of realistic model answers, one file each under Answers/.</summary>
public sealed class AnswerCorpusTests
{
    private static string Answer(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Extraction", "Answers", name));

    [Fact]
    public void Extract_SeveralNamedFilesWithProse_KeepsSourcesAndHeaderAndSkipsTheShellCommand()
    {
        var result = CodeExtractor.Extract(Answer("several_files_with_prose.md"), "openmp", "c");

        Assert.Null(result.NoCodeReason);
        Assert.Equal(["stencil.h", "heat.c"], result.Files.Select(f => f.Path));
        Assert.Contains("#pragma omp parallel for", result.Files[1].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_MakefileSourceAndJobScript_KeepsAllThreeUnderTheirNames()
    {
        var result = CodeExtractor.Extract(Answer("makefile_and_source.md"), "mpi", "c");

        Assert.Null(result.NoCodeReason);
        Assert.Equal(["main.c", "Makefile", "job.slurm"], result.Files.Select(f => f.Path));
        Assert.Contains("mpicc", result.Files[1].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_Refusal_IsNoCodeWithReason()
    {
        var result = CodeExtractor.Extract(Answer("refusal.md"), "openmp", "c");

        Assert.False(result.HasCode);
        Assert.Equal("the answer contains no code block", result.NoCodeReason);
    }

    [Fact]
    public void Extract_TruncatedBlock_IsNoCode()
    {
        var result = CodeExtractor.Extract(Answer("truncated.md"), "cuda", "c");

        Assert.False(result.HasCode);
        Assert.Contains("not closed", result.NoCodeReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "reduction(+:s)")]
    [InlineData(1, "omp task")]
    [InlineData(2, "parallel for simd")]
    public void Extract_ThreeSuggestions_EachSampleGetsItsOwnProgram(int suggestion, string marker)
    {
        var result = CodeExtractor.Extract(Answer("three_suggestions.md"), "openmp", "c", suggestion, suggestions: 3);

        var file = Assert.Single(result.Files);
        Assert.Contains(marker, file.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_FewerSuggestionsThanAskedFor_IsNoCodeForTheMissingOne()
    {
        var result = CodeExtractor.Extract(Answer("revised_in_place.md"), "openmp", "c", suggestion: 2, suggestions: 3);

        Assert.False(result.HasCode);
        Assert.Contains("not the 3 suggestions", result.NoCodeReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_CorrectedVersionAfterAFirstTry_TakesTheLastOne()
    {
        var result = CodeExtractor.Extract(Answer("revised_in_place.md"), "openmp", "c");

        var file = Assert.Single(result.Files);
        Assert.Contains("second try", file.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_BareCodeWithoutFences_IsTakenWhole()
    {
        var result = CodeExtractor.Extract(Answer("bare_code.txt"), "openmp", "c");

        Assert.Equal("main.c", Assert.Single(result.Files).Path);
    }

    [Theory]
    [InlineData("Technology: MPI\n```c\nint main(){}\n```", "mpi")]
    [InlineData("I chose **OpenMP**.\n```c\n#pragma omp parallel for\n```", "openmp")]
    [InlineData("```cuda\n__global__ void k(){}\nint main(){ k<<<1,1>>>(); }\n```", "cuda")]
    [InlineData("Technology: fortran\n```c\nint main(){}\n```", null)]
    public void DetectTechnology_StatementFirstThenCode(string answer, string? expected) =>
        Assert.Equal(expected, TechnologyDetector.Detect(answer, ["openmp", "mpi", "cuda"]));
}
