using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Sweeps;

namespace Kernelsmith.Grains.Tests.Sweeps;

/// <summary>An experiment's id as the sweep composes it and the results writer reads it back.</summary>
public sealed class ExperimentIdTests
{
    [Fact]
    public void Expand_EveryExperimentsIdParsesBackToItsOwnKernelTechnologyModelPromptAndSample()
    {
        var kernels = TestCatalog.Load();
        var spec = new Contracts.Sweeps.SweepSpec(
            "ids", ["gemm", "heat2d"], [Contracts.Sweeps.Technologies.OpenMp, Contracts.Sweeps.Technologies.Mpi],
            [new Contracts.Sweeps.ModelSpec("sim.v2_x", "sim", Behaviour: "expert")], ["plain"], 2, new Contracts.Sweeps.RepairSettings(0),
            new Contracts.Sweeps.RunSettings("tiny", [1], [1], 1, 10, 10));

        var experiments = SweepExpansion.Expand("ids-0123abcd", spec, spec.Kernels.ToDictionary(k => k, k => kernels.TryGet(k, out var d) ? d : throw new KeyNotFoundException(k)));

        Assert.NotEmpty(experiments);
        Assert.All(experiments, e => Assert.Equal(
            new ExperimentId(e.SweepId, e.Kernel, e.Technology, e.Model.Id, e.Prompt, e.Sample),
            ExperimentId.Parse(e.ExperimentId)));
        Assert.Equal(experiments.Count, experiments.Select(e => e.ExperimentId).Distinct().Count());
    }

    [Theory]
    [InlineData("sweep/gemm/openmp/gpt/plain")]
    [InlineData("sweep/gemm/openmp/openai/gpt/plain/0")]
    [InlineData("sweep/gemm/openmp/gpt/plain/first")]
    [InlineData("sweep//openmp/gpt/plain/0")]
    public void Parse_TextOfAnotherShape_IsAFormatErrorNamingIt(string text)
    {
        var error = Assert.Throws<FormatException>(() => ExperimentId.Parse(text));

        Assert.Contains($"'{text}' is not an experiment id", error.Message, StringComparison.Ordinal);
    }
}
