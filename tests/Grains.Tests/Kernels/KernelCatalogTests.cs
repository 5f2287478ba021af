using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Yaml;

namespace Kernelsmith.Grains.Tests.Kernels;

public sealed class KernelCatalogTests : IDisposable
{
    private const string GoodYaml = """
        id: tiny-kernel
        title: A tiny kernel
        technologies: [openmp]
        sources: [main.c]
        inputs:
          tiny: { args: ["3"] }
        compare:
          mode: exact
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("kernelsmith-catalog-").FullName;

    [Fact]
    public void Load_RepositoryCatalog_HasTheQuickstartKernels()
    {
        var catalog = TestCatalog.Load();

        Assert.True(catalog.TryGet("gemm", out var gemm));
        Assert.True(catalog.TryGet("heat2d", out _));
        Assert.Contains("openmp", gemm.Solutions.Keys);
        Assert.Contains("tiny", gemm.Inputs.Keys);
        Assert.NotEmpty(gemm.Sources[0].Content);
    }

    [Fact]
    public void LoadFolder_GoodFolder_Loads()
    {
        var folder = Kernel("good", GoodYaml, ("main.c", "int main(void) { return 0; }"));

        var kernel = KernelCatalog.LoadFolder(folder);

        Assert.Equal("tiny-kernel", kernel.Id);
        Assert.Equal(["3"], kernel.Inputs["tiny"].Args);
        Assert.Equal(16, kernel.ContentHash.Length);
    }

    [Theory]
    [InlineData("id: [unclosed", "(syntax)", "")]
    [InlineData("sources: [main.c]|sources: [missing.c]", "sources", "file 'missing.c' not found")]
    [InlineData("technologies: [openmp]|technologies: [openmp, fortran]", "technologies", "unknown technology 'fortran'")]
    [InlineData("title: A tiny kernel|title: A tiny kernel\nauthor: me", "author", "unknown field")]
    [InlineData("mode: exact|mode: fuzzy", "compare.mode", "'fuzzy' is not one of")]
    [InlineData("sources: [main.c]|sources: [../../etc/passwd]", "sources", "outside the kernel folder")]
    [InlineData("  tiny: { args: [\"3\"] }|  tiny: { args: [\"3\"], seed: 4 }", "inputs.tiny.seed", "unknown field")]
    [InlineData("compare:|timing: { from_output: 'took [0-9.]+ s' }\ncompare:", "timing.from_output", "needs a group around the seconds")]
    [InlineData("compare:|timing: { from_output: 'took ([0-9.]+ s' }\ncompare:", "timing.from_output", "not a valid regular expression")]
    [InlineData("mode: exact|mode: exact\n  select: ['total ([0-9.]+']", "compare.select", "not a valid regular expression")]
    [InlineData("mode: exact|mode: exact\n  mask: ['(']", "compare.mask", "not a valid regular expression")]
    [InlineData("  tiny: { args: [\"3\"] }|  tiny: { substitute: [{ file: main.c, text: '#define N 100', with: '#define N 5' }] }",
        "inputs.tiny.substitute[0].text", "kernel 'tiny-kernel', input 'tiny': the text '#define N 100' that it replaces in main.c is not there")]
    [InlineData("  tiny: { args: [\"3\"] }|  tiny: { substitute: [{ file: other.c, text: 'int', with: 'long' }] }",
        "inputs.tiny.substitute[0].file", "kernel 'tiny-kernel', input 'tiny': 'other.c' is not one of the kernel's sources (main.c)")]
    [InlineData("  tiny: { args: [\"3\"] }|  tiny: { defines: { 2N: 5 } }", "inputs.tiny.defines", "'2N' is not a preprocessor name")]
    [InlineData("  tiny: { args: [\"3\"] }|  tiny: { defines: { N: 5 6 } }", "inputs.tiny.defines", "holds a space")]
    [InlineData("compare:|check: { command: sh check.sh }\ncompare:", "check.outputs", "a checker judges the files a program writes: name them in an input's outputs")]
    [InlineData("compare:|check: { command: sh check.sh, outputs: [x.dat] }\ncompare:", "check.outputs", "'x.dat' is not among the files the inputs name in outputs")]
    [InlineData("compare:|perturb: {}\ncompare:", "perturb.defines", "perturb needs defines or substitute")]
    public void LoadFolder_BrokenFolder_NamesFolderFileAndField(string edit, string field, string problem)
    {
        var parts = edit.Split('|');
        var yaml = parts.Length == 1 ? parts[0] : GoodYaml.Replace(parts[0], parts[1], StringComparison.Ordinal);
        var folder = Kernel("broken", yaml, ("main.c", "int main(void) { return 0; }"));

        var error = Assert.Throws<InputFileException>(() => KernelCatalog.LoadFolder(folder));

        Assert.Equal(Path.Combine(folder, "kernel.yaml"), error.File);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFolder_AmplifiedInputs_AreLoadedBesideTheMainOnes()
    {
        var yaml = GoodYaml.Replace("compare:", "amplified:\n  edge: { args: [\"1\"] }\n  odd: { args: [\"37\"] }\ncompare:", StringComparison.Ordinal);
        var folder = Kernel("amplified", yaml, ("main.c", "int main(void) { return 0; }"));

        var kernel = KernelCatalog.LoadFolder(folder);

        Assert.Equal(["edge", "odd"], kernel.Amplified.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["37"], kernel.Input("odd").Args);
        Assert.Equal(["3"], kernel.Input("tiny").Args);
        Assert.Contains("edge, odd", Assert.Throws<KeyNotFoundException>(() => kernel.Input("huge")).Message, StringComparison.Ordinal);
    }

    /// <summary>Sizes fixed in the source are set per input: definitions become -D flags, substitutions name their file.</summary>
    [Fact]
    public void LoadFolder_InputWithDefinesAndSubstitutions_KeepsBoth()
    {
        var yaml = GoodYaml.Replace("  tiny: { args: [\"3\"] }", """
              tiny:
                defines: { N: 2000, VERBOSE: "" }
                substitute:
                  - { file: main.c, text: "#define STEPS 10", with: "#define STEPS 3" }
            """, StringComparison.Ordinal);
        var folder = Kernel("sizes", yaml, ("main.c", "#define STEPS 10\nint main(void) { return 0; }"));

        var input = KernelCatalog.LoadFolder(folder).Inputs["tiny"];

        Assert.Equal(["-DN=2000", "-DVERBOSE"], InputBuild.Flags(input));
        Assert.Equal("-DN=2000; -DVERBOSE; main.c: '#define STEPS 10' -> '#define STEPS 3'", InputBuild.Describe(input));
    }

    [Fact]
    public void LoadFolder_TimingFromOutput_KeepsThePattern()
    {
        var yaml = GoodYaml.Replace("compare:", "timing: { from_output: 'Kernel executed in ([0-9.eE+-]+) seconds' }\ncompare:", StringComparison.Ordinal);

        var kernel = KernelCatalog.LoadFolder(Kernel("timed", yaml, ("main.c", "int main(void) { return 0; }")));

        Assert.Equal("Kernel executed in ([0-9.eE+-]+) seconds", kernel.TimingPattern);
        Assert.Null(KernelCatalog.LoadFolder(Kernel("untimed", GoodYaml, ("main.c", "int main(void) { return 0; }"))).TimingPattern);
    }

    [Fact]
    public void LoadFolder_AmplifiedInputNamedLikeAMainInput_IsAnError()
    {
        var yaml = GoodYaml.Replace("compare:", "amplified:\n  tiny: { args: [\"1\"] }\ncompare:", StringComparison.Ordinal);
        var folder = Kernel("clash", yaml, ("main.c", "int main(void) { return 0; }"));

        var error = Assert.Throws<InputFileException>(() => KernelCatalog.LoadFolder(folder));

        Assert.Equal("amplified", error.Field);
        Assert.Contains("'tiny' is already a main input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RepositoryCatalog_EveryKernelHasEdgeFewAndOddAmplifiedInputs()
    {
        foreach (var kernel in TestCatalog.Load().Kernels)
        {
            Assert.True(new[] { "edge", "few", "odd" }.All(kernel.Amplified.ContainsKey), $"{kernel.Id}: {string.Join(", ", kernel.Amplified.Keys)}");
        }
    }

    [Fact]
    public void LoadFolder_SolutionForUnlistedTechnology_IsAnError()
    {
        var folder = Kernel("stray", GoodYaml, ("main.c", "int main(void) { return 0; }"), ("solutions/cuda/main.cu", "int main() {}"));

        var error = Assert.Throws<InputFileException>(() => KernelCatalog.LoadFolder(folder));

        Assert.Contains("cuda", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SameIdTwice_IsAnError()
    {
        Kernel("one", GoodYaml, ("main.c", "int main(void) { return 0; }"));
        Kernel("two", GoodYaml, ("main.c", "int main(void) { return 0; }"));

        var error = Assert.Throws<InputFileException>(() => KernelCatalog.Load([_root]));

        Assert.Contains("defined twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingDirectory_SaysSo()
    {
        var error = Assert.Throws<InputFileException>(() => KernelCatalog.Load([Path.Combine(_root, "nope")]));

        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Kernel(string name, string yaml, params (string Path, string Content)[] files)
    {
        var folder = Path.Combine(_root, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "kernel.yaml"), yaml);
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        return folder;
    }

    /// <summary>
    /// The study sweep's kernels are rewrites with inputs and outputs of their own: the catalog, the sweep and each
    /// kernel.yaml say so, and no note tells the model what the study's arguments meant (the Dijkstra note once read the study's node count as a seed).
    /// </summary>
    [Fact]
    public void Catalog_StudyKernels_AreDeclaredRewritesAndNotesDoNotReadTheStudysArguments()
    {
        var spec = File.ReadAllText(Path.Combine(TestCatalog.RepositoryRoot, "examples", "report-2024.yaml"));
        var study = System.Text.RegularExpressions.Regex.Match(spec, @"(?m)^kernels: \[(?<ids>[^\]]+)\]").Groups["ids"].Value.Split(", ");
        var readme = File.ReadAllText(Path.Combine(TestCatalog.RepositoryRoot, "kernels", "README.md"));
        var catalog = TestCatalog.Load();

        Assert.Equal(9, study.Length);
        Assert.Contains("are rewrites", readme, StringComparison.Ordinal);
        Assert.Contains("# The nine kernels are rewrites of the study's codes with inputs and outputs of their own", spec, StringComparison.Ordinal);
        Assert.Contains("with 50 as the node count", spec, StringComparison.Ordinal);
        foreach (var id in study)
        {
            Assert.Contains($"`{id}`", readme, StringComparison.Ordinal);
            var descriptor = File.ReadAllText(Path.Combine(TestCatalog.RepositoryRoot, "kernels", id, "kernel.yaml"));
            Assert.StartsWith("# A rewrite of the study's ", descriptor, StringComparison.Ordinal);
            Assert.True(catalog.TryGet(id, out var kernel), id);
            Assert.DoesNotContain("the study's", kernel.Note, StringComparison.Ordinal);
        }
    }
}
