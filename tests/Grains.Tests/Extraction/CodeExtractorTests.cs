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

    [Fact]
    public void Extract_HugeAnswer_DoesNotThrow()
    {
        var answer = "```c\n" + string.Concat(Enumerable.Repeat("int x; ", 400_000)) + "\n```";

        var result = CodeExtractor.Extract(answer, "openmp", "c");

        Assert.NotNull(result);
    }
}
