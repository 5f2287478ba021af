using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Scheduling;

namespace Kernelsmith.Grains.Tests.Kernels;

/// <summary>An input's definitions and substitutions reach every build alike, the reference's and each answer's.</summary>
public sealed class InputBuildTests
{
    private static readonly KernelInput Sized = new("tiny", [], null, [], [])
    {
        Defines = new Dictionary<string, string> { ["N"] = "2000" },
        Substitutions = [new SourceSubstitution("fixed.c", "#define STEPS 10", "#define STEPS 3")],
    };

    [Fact]
    public void Job_KernelSources_AreSubstitutedAndDefined()
    {
        var job = InputBuild.Job("b", "fixedsize", Sized, [new CodeFile("fixed.c", "#define STEPS 10\nint main(void) { return STEPS; }")],
            new BuildRecipe("gcc", ["-O2"], ["-lm"]), 60);

        Assert.Equal(["-O2", "-DN=2000"], job.Flags);
        Assert.Equal("#define STEPS 3\nint main(void) { return STEPS; }", job.Files.Single().Content);
    }

    /// <summary>An answer that gave the whole program under another name still gets the size its input sets.</summary>
    [Fact]
    public void Substituted_AnswerRenamedTheFile_IsChangedWhereTheTextIs()
    {
        var files = InputBuild.Substituted("fixedsize", Sized, [new CodeFile("main.c", "#define STEPS 10\nint main(void) { return 0; }"), new CodeFile("util.h", "int f(void);")]);

        Assert.StartsWith("#define STEPS 3\n", files[0].Content, StringComparison.Ordinal);
        Assert.Equal("int f(void);", files[1].Content);
    }

    [Fact]
    public void Substituted_TextGone_NamesKernelInputAndFile()
    {
        var error = Assert.Throws<InputBuildException>(() => InputBuild.Substituted("fixedsize", Sized, [new CodeFile("fixed.c", "const int steps = 3;")]));

        Assert.Equal("kernel 'fixedsize', input 'tiny': the text '#define STEPS 10' that it replaces in fixed.c is not there", error.Message);
    }
}
