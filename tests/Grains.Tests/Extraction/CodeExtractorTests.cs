using Kernelsmith.Grains.Extraction;

namespace Kernelsmith.Grains.Tests.Extraction;

public sealed class CodeExtractorTests
{
    [Fact]
    public void Extract_OneFencedBlock_GivesMainFile()
    {
        var answer = "Here you go:\n\n```c\n#include <stdio.h>\nint main(void) { return 0; }\n```\nHope it helps.";

        var result = CodeExtractor.Extract(answer, "openmp", "c");

        var file = Assert.Single(result.Files);
        Assert.Equal("main.c", file.Path);
        Assert.Null(result.NoCodeReason);
        Assert.StartsWith("#include <stdio.h>", file.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_NamedFiles_KeepTheirNames()
    {
        var answer = "`util.h`:\n```c\n#pragma once\nint twice(int x);\n```\n\n`prog.cu`:\n```cuda\n#include \"util.h\"\nint main() { return twice(1); }\n```";

        var result = CodeExtractor.Extract(answer, "cuda", "c");

        Assert.Equal(["util.h", "prog.cu"], result.Files.Select(f => f.Path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("I cannot help with that.")]
    [InlineData("```bash\nmake && ./run\n```")]
    public void Extract_NoCode_SaysWhy(string answer)
    {
        var result = CodeExtractor.Extract(answer, "openmp", "c");

        Assert.False(result.HasCode);
        Assert.NotNull(result.NoCodeReason);
    }

    [Fact]
    public void Extract_TruncatedBlock_IsNoCodeNotACrash()
    {
        var result = CodeExtractor.Extract("```c\n#include <stdio.h>\nint main() {\n  for (;;", "openmp", "c");

        Assert.False(result.HasCode);
    }

    public static TheoryData<string, string, bool> Degenerate => new()
    {
        // One 900,000-character line before a valid block (the case once recorded as infra_error: a regex timeout).
        { "long line", new string('a', 900_000) + "\n" + Valid, true },
        { "long dotted line", string.Concat(Enumerable.Repeat("file_name_", 90_000)) + "\n" + Valid, true },
        { "long line of fences", string.Concat(Enumerable.Repeat("``` ", 200_000)) + "\n" + Valid, true },
        { "many unclosed fences", string.Concat(Enumerable.Repeat("```c\nint x;\n", 70_000)), false },
        { "many tiny blocks", string.Concat(Enumerable.Repeat("x.c:\n```c\n{;}\n```\n", 40_000)), false },
        { "one huge token", new string('{', 1_000_000), false },
    };

    [Theory]
    [MemberData(nameof(Degenerate))]
    public void Extract_DegenerateAnswer_EndsQuicklyAsAVerdictOfTheAnswer(string what, string answer, bool hasCode)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = CodeExtractor.Extract(answer, "openmp", "c");

        // Linear time: quadratic scans of a megabyte take minutes; this bound is generous for a loaded machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{what}: extraction took {clock.Elapsed}");
        Assert.Equal(hasCode, result.HasCode && result.NoCodeReason is null);
        Assert.True(hasCode || result.NoCodeReason is not null, what);
    }

    private const string Valid = "```c\n#include <stdio.h>\nint main(void) { return 0; }\n```\n";

    [Fact]
    public void Extract_HugeAnswer_DoesNotThrow()
    {
        var answer = "```c\n" + string.Concat(Enumerable.Repeat("int x; ", 400_000)) + "\n```";

        var result = CodeExtractor.Extract(answer, "openmp", "c");

        Assert.NotNull(result);
    }

    private const string GuardedHeader = "#ifndef STENCIL_H\n#define STENCIL_H\n#define CHUNK 64\nvoid relax(double *next, const double *cur, int n);\n#endif";

    private const string Program = "```c\n#include \"stencil.h\"\nint main(void) { return CHUNK; }\n```";

    [Theory]
    [InlineData("`stencil.h`:\n```c\n" + GuardedHeader + "\n```\n\n`heat.c`:\n" + Program)]
    [InlineData("**stencil.h**\n```\n" + GuardedHeader + "\n```\n\n`heat.c`:\n" + Program)]
    [InlineData("stencil.h:\n```h\nvoid relax(double *next, const double *cur, int n);\n```\n\n`heat.c`:\n" + Program)]
    public void Extract_HeaderOfPrototypesAndGuard_IsKeptUnderItsName(string answer)
    {
        var result = CodeExtractor.Extract(answer, "openmp", "c");

        Assert.Null(result.NoCodeReason);
        Assert.Equal(["stencil.h", "heat.c"], result.Files.Select(f => f.Path));
        Assert.Contains("void relax", result.Files[0].Content, StringComparison.Ordinal);
        Assert.Empty(result.Dropped);
    }

    [Fact]
    public void Extract_BlocksThatAreNotCode_AreDroppedAndListedWithTheReason()
    {
        var answer = "`heat.c`:\n" + Program + "\n\nCompile heat.c with:\n```\ngcc -fopenmp heat.c -o heat\n```\n\nIt prints:\n```text\ntotal 42\n```\n```sh\n./heat\n```";

        var result = CodeExtractor.Extract(answer, "openmp", "c");

        Assert.Equal("heat.c", Assert.Single(result.Files).Path);
        Assert.Equal(3, result.Dropped.Count);
        Assert.Contains("block 2 (```, 1 line, after a line naming 'heat.c'): an unlabelled block that does not look like C", result.Dropped[0], StringComparison.Ordinal);
        Assert.Contains("labelled 'text'", result.Dropped[1], StringComparison.Ordinal);
        Assert.Contains("block 4 (```sh", result.Dropped[2], StringComparison.Ordinal);
    }
}
