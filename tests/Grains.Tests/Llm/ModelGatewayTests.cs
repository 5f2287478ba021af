using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Llm;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Tests.Experiments;
using Microsoft.Extensions.DependencyInjection;

namespace Kernelsmith.Grains.Tests.Llm;

/// <summary>The one way to a model, on an in-process silo: what the endpoint's quota learns of each call.</summary>
[Collection(ExperimentClusterCollection.Name)]
public sealed class ModelGatewayTests(ExperimentCluster fixture)
{
    [Fact]
    public async Task CompleteAsync_EndpointRefuses_TheQuotaCountsAFailedCallAndGivesTheSlotBack()
    {
        var services = fixture.PrimaryServices;
        var gateway = services.GetRequiredService<ModelGateway>();
        var sweep = $"refusing-{Guid.NewGuid():n}"[..24];
        var model = new ModelSpec("refusing", ScriptedModel.Name, Endpoint: $"http://{sweep}.invalid/v1", Model: "m");
        ScriptedModel.Answers[sweep] = [ScriptedModel.Unavailable];
        var kernel = TestCatalog.Load().TryGet("gemm", out var gemm) ? gemm : throw new InvalidOperationException("no gemm");
        var spec = new ExperimentSpec($"{sweep}/gemm/openmp/refusing/plain/0", sweep, "gemm", model, "openmp", "plain", 0,
            new RepairSettings(0), new RunSettings("tiny", [1], [1], 1, 5, 5));

        await Assert.ThrowsAsync<ModelUnavailableException>(() =>
            gateway.CompleteAsync(new ModelRequest(spec, model, kernel, [ChatTurn.User("port it")], 0), useCache: false, () => true, CancellationToken.None));

        var usage = await services.GetRequiredService<IGrainFactory>().GetGrain<IModelQuotaGrain>(ModelGateway.QuotaKey(model)).GetUsageAsync();
        Assert.Equal(0, usage.InFlight);
        Assert.Equal(1, usage.Calls);
        Assert.Equal(1, usage.Failed);
    }
}
