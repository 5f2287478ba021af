using System.Text.Json;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Results;
using Kernelsmith.Results.Reports;

namespace Kernelsmith.Cli.Tests.Reports;

public sealed class DatasetExportTests(ReportFixture fixture) : IClassFixture<ReportFixture>, IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("kernelsmith-dataset-").FullName;

    [Fact]
    public void Write_Examples_OnePerExperimentWithoutInfraErrors()
    {
        var (examples, _) = Export();

        Assert.Equal(ReportFixture.Records.Count - 1, examples.Count);
        Assert.DoesNotContain(examples, e => e.Verdict == "infra_error");
        var repaired = examples.Single(e => e.Id == "sweep-1/heat2d/openmp/mutant/plain/0");
        Assert.Equal("openmp", repaired.Target);
        Assert.Equal("2 x test cpu", repaired.Hardware);
        Assert.Equal("answer 2 of mutant", repaired.Answer);
        Assert.Contains("int x = 2;", Assert.Single(repaired.Code).Content, StringComparison.Ordinal);
        Assert.True(repaired.Correct);
        Assert.Equal(2.4, repaired.Speedup);
        Assert.True(repaired.Provenance.Simulated);
        Assert.Equal(ReportFixture.Records.Single(r => r.Experiment == repaired.Id).TraceId, repaired.Provenance.TraceId);
        Assert.Null(examples.Single(e => e.Verdict == "build_error" && e.Kernel == "gemm").Speedup);
    }

    [Fact]
    public void Write_Source_FromTheCatalogWhenItHoldsTheSameVersionElseFromThePrompt()
    {
        var (examples, _) = Export();

        var gemm = examples.First(e => e.Kernel == "gemm");
        var heat2d = examples.First(e => e.Kernel == "heat2d");
        Assert.Equal("catalog", gemm.SourceOrigin);
        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Kernels, "gemm", "gemm.c")), Assert.Single(gemm.Source).Content);
        Assert.Equal("prompt", heat2d.SourceOrigin);
        Assert.Equal("int main(void) { return 6; }\n", Assert.Single(heat2d.Source).Content);
    }

    [Fact]
    public void Write_PreferencePairs_PreferCorrectAndFasterForTheSamePrompt()
    {
        var (_, pairs) = Export();

        var gemm = pairs.Where(p => p.Kernel == "gemm" && p.Target == "openmp").ToList();
        // 5 correct answers (3.0, 3.0, 4.0, 3.6, 4.0) x 2 incorrect ones and 1 correct but sequential, plus 8 pairs at
        // least 10% faster: each 4.0 over 3.0, 3.0 and 3.6; 3.6 over each 3.0. The ties 3.0 / 3.0 and 4.0 / 4.0 make no pair.
        Assert.Equal(10, gemm.Count(p => p.Reason == "rejected_incorrect"));
        Assert.Equal(5, gemm.Count(p => p.Reason == "rejected_not_parallel"));
        Assert.Equal(8, gemm.Count(p => p.Reason == "rejected_slower"));
        Assert.All(pairs, p =>
        {
            Assert.Equal("correct", p.Chosen.Verdict);
            Assert.NotNull(p.Chosen.Speedup);
            Assert.NotEqual(p.Chosen.Id, p.Rejected.Id);
            // The same prompt: the same kernel and technology.
            Assert.Equal(p.Chosen.Id.Split('/')[1..3], p.Rejected.Id.Split('/')[1..3]);
            switch (p.Reason)
            {
                case "rejected_incorrect":
                    Assert.NotEqual("correct", p.Rejected.Verdict);
                    break;
                case "rejected_not_parallel":
                    Assert.Equal(("not_parallel", (double?)null), (p.Rejected.Verdict, p.Rejected.Speedup));
                    break;
                default:
                    Assert.Equal("rejected_slower", p.Reason);
                    Assert.True(p.Chosen.Speedup >= DatasetExport.SpeedupMargin * p.Rejected.Speedup);
                    break;
            }
        });
    }

    private (List<DatasetExample> Examples, List<PreferencePair> Pairs) Export()
    {
        var results = new ResultsDirectory(fixture.Folder);
        DatasetExport.Write(results, results.ReadRecords(), KernelCatalog.Load([Repository.Kernels]).Kernels, _output);
        return (Read<DatasetExample>(DatasetExport.Examples), Read<PreferencePair>(DatasetExport.Preferences));
    }

    private List<T> Read<T>(string file) =>
        File.ReadLines(Path.Combine(_output, file)).Select(l => JsonSerializer.Deserialize<T>(l, DatasetExport.Json)!).ToList();

    public void Dispose() => Directory.Delete(_output, recursive: true);
}
