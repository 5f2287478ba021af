using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Telemetry;

namespace Kernelsmith.Cli.Tests.Telemetry;

/// <summary>Model calls as GenAI spans: usage and finish reason always, prompt and answer text only when opted in.</summary>
public sealed class ModelCallTelemetryTests
{
    private const string Prompt = "Parallelise this loop with OpenMP, please.";
    private const string Answer = "```c\n#pragma omp parallel for\n```";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TraceAsync_ContentCapture_PromptAndAnswerOnlyWhenOptedIn(bool capture)
    {
        using var spans = new SpanCollector();
        var request = Request();

        await ModelCallTelemetry.TraceAsync(request, () => Task.FromResult(new ModelAnswer(Answer, new TokenUsage(12, 7), "ContentFilter")), capture);

        var span = Assert.Single(spans.Tagged("kernelsmith.experiment", request.Experiment.ExperimentId));
        Assert.Equal("chat gpt-test", span.OperationName);
        Assert.Equal(12L, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(7L, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(["content_filter"], (string[])span.GetTagItem("gen_ai.response.finish_reasons")!);
        Assert.Equal(0.2, span.GetTagItem("gen_ai.request.temperature"));
        // The endpoint's host and port, never the credentials or query it may carry.
        Assert.Equal(("llm.example.org", 8443), (span.GetTagItem("server.address"), span.GetTagItem("server.port")));
        Assert.All(span.TagObjects, tag => Assert.DoesNotContain("secret", tag.Value?.ToString() ?? "", StringComparison.Ordinal));
        Assert.Equal(capture, (span.GetTagItem("gen_ai.input.messages") as string)?.Contains("Parallelise this loop", StringComparison.Ordinal) == true);
        Assert.Equal(capture, (span.GetTagItem("gen_ai.output.messages") as string)?.Contains("#pragma omp parallel for", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task TraceAsync_EndpointFails_SpanIsAnErrorWithItsTypeAndTheExceptionGoesOn()
    {
        using var spans = new SpanCollector();
        var request = Request();

        await Assert.ThrowsAsync<ModelUnavailableException>(() =>
            ModelCallTelemetry.TraceAsync(request, () => throw new ModelUnavailableException("endpoint said 503"), captureContent: false));

        var span = Assert.Single(spans.Tagged("kernelsmith.experiment", request.Experiment.ExperimentId));
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, span.Status);
        Assert.Equal(nameof(ModelUnavailableException), span.GetTagItem("error.type"));
        Assert.Null(span.GetTagItem("gen_ai.usage.input_tokens"));
    }

    private static ModelRequest Request()
    {
        var model = new ModelSpec("gpt", ModelProviders.OpenAi, Endpoint: "https://user:secret@llm.example.org:8443/v1?key=secret", Model: "gpt-test", Temperature: 0.2);
        var spec = new ExperimentSpec($"genai-test/{Guid.NewGuid():n}", "genai-test", "gemm", model, "openmp", "plain", 0,
            new RepairSettings(0), new RunSettings("tiny", [1], [1], 1, 10, 10) { MaxPairs = 1, Warmups = 0, Expert = false });
        var kernel = KernelCatalog.LoadFolder(Path.Combine(Repository.Kernels, "gemm"));
        return new ModelRequest(spec, model, kernel, [ChatTurn.User(Prompt)], 0);
    }
}
