using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Yaml;

namespace Kernelsmith.Grains.Tests.Extraction;

public sealed class PromptLibraryTests
{
    private static PromptLibrary Repository => PromptLibrary.Load([Path.Combine(TestCatalog.RepositoryRoot, "prompts")]);

    [Fact]
    public void Load_RepositoryPrompts_HasTheStudyKeywordPlainAndChooseStrategies()
    {
        Assert.Equal(["choose", "keyword", "plain", "study"], Repository.Names.Order(StringComparer.Ordinal));
        Assert.True(Repository.TryGet("keyword", out var keyword));
        Assert.Equal(3, keyword.Suggestions);
    }

    [Fact]
    public void Render_Study_PrimesThenSendsCodeTechnologyAndHardware()
    {
        Repository.TryGet("study", out var study);
        TestCatalog.Load().TryGet("gemm", out var gemm);

        var turns = PromptLibrary.Render(study, gemm, "mpi", new PromptContext("AMD EPYC, 2 cores", ["openmp", "mpi"]));

        Assert.Equal(["user", "assistant", "user"], turns.Select(t => t.Role));
        Assert.Contains("nothing \"creative\"", turns[0].Content, StringComparison.Ordinal);
        Assert.Contains("Technology: MPI", turns[2].Content, StringComparison.Ordinal);
        Assert.Contains("AMD EPYC, 2 cores", turns[2].Content, StringComparison.Ordinal);
        Assert.Contains("c[i * n + j] += aik * b[k * n + j]", turns[2].Content, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", string.Concat(turns.Select(t => t.Content)), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Keyword_IsTheLabsPromptLine()
    {
        Repository.TryGet("keyword", out var keyword);
        TestCatalog.Load().TryGet("gemm", out var gemm);

        var turn = Assert.Single(PromptLibrary.Render(keyword, gemm, "openmp", new PromptContext("x", ["openmp"])));

        Assert.StartsWith("Create 3 code suggestions using the following parameters: C OpenMP Dense matrix multiplication (GEMM) program.", turn.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TemplateWithoutUserTurn_NamesTheFile()
    {
        var error = Assert.Throws<InputFileException>(() => PromptLibrary.Parse("bad.md", "bad", "--- system ---\nBe helpful.\n"));

        Assert.Equal("bad.md", error.File);
        Assert.Contains("must end with a '--- user ---' turn", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_StrayTextBeforeTheFirstTurn_NamesTheLine()
    {
        var error = Assert.Throws<InputFileException>(() => PromptLibrary.Parse("bad.md", "bad", "# ok\nhello there\n--- user ---\nx\n"));

        Assert.Equal(2, error.Line);
    }
}
