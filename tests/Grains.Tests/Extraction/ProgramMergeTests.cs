using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Extraction;

namespace Kernelsmith.Grains.Tests.Extraction;

/// <summary>An answer's files merged with a multi-file kernel's own: heat.c (main), stencil.c (the stencil), stencil.h.</summary>
public sealed class ProgramMergeTests
{
    private static readonly CodeFile s_main = new("heat.c", "#include \"stencil.h\"\nint main(void)\n{\n    return relax(1);\n}\n");
    private static readonly CodeFile s_stencil = new("stencil.c", "#include \"stencil.h\"\nint relax(int x)\n{\n    return x - 1;\n}\n");
    private static readonly CodeFile s_header = new("stencil.h", "#ifndef STENCIL_H\n#define STENCIL_H\nint relax(int x);\n#endif\n");
    private static readonly CodeFile[] s_kernel = [s_main, s_stencil, s_header];

    [Fact]
    public void Merge_AnswerChangingOneFile_KeepsTheKernelsOthers()
    {
        var answer = new CodeFile("stencil.c", "#include \"stencil.h\"\nint relax(int x)\n{\n    int r;\n#pragma omp parallel\n    r = x - 1;\n    return r;\n}\n");

        var program = ProgramMerge.Merge([answer], s_kernel);

        Assert.Equal(["stencil.c", "heat.c", "stencil.h"], program.Files.Select(f => f.Path));
        Assert.Same(answer, program.Files[0]);
        Assert.Equal(["stencil.c"], program.Changed);
        Assert.Equal(["heat.c", "stencil.h"], program.Kept);
        Assert.True(program.HasMain);
        Assert.Contains("stencil.c: from the answer, replacing the kernel's", program.Log);
    }

    [Fact]
    public void Merge_WholeProgramUnderAnotherName_LeavesOutTheKernelFilesItRedefines()
    {
        var whole = new CodeFile("main.c", "int relax(int x) { return x - 1; }\nint main(void) { return relax(1); }\n");

        var program = ProgramMerge.Merge([whole], s_kernel);

        Assert.Equal(["main.c", "stencil.h"], program.Files.Select(f => f.Path));
        Assert.Equal(["main.c"], program.Changed);
        Assert.Contains("heat.c: the kernel's, left out: the answer defines main() itself", program.Log);
        Assert.Contains("stencil.c: the kernel's, left out: the answer defines relax() itself", program.Log);
    }

    [Fact]
    public void Merge_AnswerRepeatingAFileUnchanged_DoesNotCountItAsChanged()
    {
        var program = ProgramMerge.Merge([s_header with { Content = s_header.Content + "\n\n" }, s_main], s_kernel);

        Assert.Empty(program.Changed);
        Assert.Equal(["stencil.h", "heat.c", "stencil.c"], program.Files.Select(f => f.Path));
    }

    [Fact]
    public void Merge_HeaderOnly_IsNoProgramWithoutTheKernelsMain()
    {
        var program = ProgramMerge.Merge([s_header], [s_header]);

        Assert.False(program.HasMain);
    }
}
