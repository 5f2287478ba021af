using System.Diagnostics;
using System.Text.Json;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Llm;

namespace Kernelsmith.Grains.Telemetry;

/// <summary>
/// A model call as the OpenTelemetry GenAI semantic conventions describe it: a client span <c>chat MODEL</c> with the
/// model, sampling parameters, token usage and finish reason, and the <c>gen_ai.client.*</c> metrics, plus cost and
/// errors per model. Never the API key (only the endpoint's host and port are recorded); the prompt and the answer only
/// when <see cref="CaptureContentVariable"/> is <c>true</c>, since they may hold code or data the user keeps private.
/// </summary>
public static class ModelCallTelemetry
{
    /// <summary>The opt-in the GenAI instrumentations share: prompt and answer text on the model spans.</summary>
    public const string CaptureContentVariable = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

    public static Task<ModelAnswer> TraceAsync(ModelRequest request, Func<Task<ModelAnswer>> call) =>
        TraceAsync(request, call, string.Equals(Environment.GetEnvironmentVariable(CaptureContentVariable), "true", StringComparison.OrdinalIgnoreCase));

    public static async Task<ModelAnswer> TraceAsync(ModelRequest request, Func<Task<ModelAnswer>> call, bool captureContent)
    {
        var model = request.Model;
        var requestModel = model.Model ?? model.Id;
        var tags = new TagList
        {
            { "gen_ai.operation.name", "chat" },
            { "gen_ai.system", System(model) },
            { "gen_ai.provider.name", System(model) },
            { "gen_ai.request.model", requestModel },
            { "kernelsmith.model", model.Id },
        };
        using var activity = GrainsInstrumentation.Source.StartActivity($"chat {requestModel}", ActivityKind.Client, default(ActivityContext), tags);
        if (activity is not null)
        {
            Describe(activity, request);
            if (captureContent)
            {
                activity.SetTag("gen_ai.input.messages", JsonSerializer.Serialize(request.Conversation.Select(t => Message(t.Role, t.Content, null))));
            }
        }

        var clock = Stopwatch.StartNew();
        try
        {
            var answer = await call();
            GrainsInstrumentation.ModelSeconds.Record(clock.Elapsed.TotalSeconds, tags);
            GrainsInstrumentation.ModelTokens.Record(answer.Tokens.Input, Tokens(tags, "input"));
            GrainsInstrumentation.ModelTokens.Record(answer.Tokens.Output, Tokens(tags, "output"));
            if (model.Prices?.Cost(answer.Tokens.Input, answer.Tokens.Output) is { } cost)
            {
                GrainsInstrumentation.ModelCost.Add(cost, tags);
            }

            activity?.SetTag("gen_ai.usage.input_tokens", answer.Tokens.Input);
            activity?.SetTag("gen_ai.usage.output_tokens", answer.Tokens.Output);
            activity?.SetTag("gen_ai.response.finish_reasons", new[] { WireName(answer.FinishReason) });
            if (captureContent)
            {
                activity?.SetTag("gen_ai.output.messages", JsonSerializer.Serialize(new[] { Message("assistant", answer.Text, WireName(answer.FinishReason)) }));
            }

            return answer;
        }
        catch (Exception e)
        {
            var errorType = e.GetType().Name;
            tags.Add("error.type", errorType);
            GrainsInstrumentation.ModelSeconds.Record(clock.Elapsed.TotalSeconds, tags);
            GrainsInstrumentation.ModelErrors.Add(1, tags);
            activity?.SetTag("error.type", errorType);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    /// <summary>The <c>gen_ai.system</c> value: a well-known name for OpenAI-compatible endpoints, our own for simulations.</summary>
    private static string System(ModelSpec model) => model.Provider == ModelProviders.OpenAi ? "openai" : $"kernelsmith.{model.Provider}";

    private static void Describe(Activity activity, ModelRequest request)
    {
        var model = request.Model;
        activity.SetTag("gen_ai.request.temperature", model.Temperature);
        activity.SetTag("gen_ai.request.top_p", model.TopP);
        activity.SetTag("gen_ai.request.max_tokens", model.MaxTokens);
        activity.SetTag("gen_ai.request.seed", model.Seed);
        activity.SetTag("kernelsmith.experiment", request.Experiment.ExperimentId);
        activity.SetTag("kernelsmith.round", request.Round);
        // Host and port only: whatever else an endpoint URL carries (user info, query) stays out of the trace.
        if (Uri.TryCreate(model.Endpoint, UriKind.Absolute, out var endpoint))
        {
            activity.SetTag("server.address", endpoint.Host);
            activity.SetTag("server.port", endpoint.Port);
        }
    }

    /// <summary>The OpenAI SDK reports its enum's names (<c>Stop</c>, <c>ContentFilter</c>); the convention wants the wire values.</summary>
    private static string WireName(string finishReason) =>
        string.Concat(finishReason.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private static object Message(string role, string content, string? finishReason) => finishReason is null
        ? new { role, parts = new[] { new { type = "text", content } } }
        : new { role, parts = new[] { new { type = "text", content } }, finish_reason = finishReason };

    private static TagList Tokens(TagList tags, string type)
    {
        var copy = tags;
        copy.Add("gen_ai.token.type", type);
        return copy;
    }
}
