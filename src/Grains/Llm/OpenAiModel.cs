using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Text;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Security;
using Kernelsmith.Contracts.Sweeps;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;

namespace Kernelsmith.Grains.Llm;

/// <summary>
/// Any OpenAI-compatible chat endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp server ...) through the
/// OpenAI .NET SDK. The SDK retries 429, 5xx and timeouts with backoff, honouring Retry-After; a per-endpoint
/// circuit breaker stops hammering an endpoint that keeps failing. Every failure of the endpoint surfaces as
/// <see cref="ModelUnavailableException"/>: an infrastructure failure, never the model's verdict.
/// The API key is the operator's named credential the spec names, read when needed (and only for an endpoint it is bound
/// to) and never stored, logged or recorded.
/// </summary>
public sealed class OpenAiModel(TimeProvider clock, IOptions<ModelCredentials> credentials) : IModelProvider
{
    private const int BreakerThreshold = 5;
    private static readonly TimeSpan s_breakerOpen = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, CircuitBreaker> _breakers = new();

    public string Provider => ModelProviders.OpenAi;

    public async Task<ModelAnswer> CompleteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        var spec = request.Model;
        var breaker = _breakers.GetOrAdd($"{spec.Endpoint}|{spec.Model}", _ => new CircuitBreaker());
        // A credential refused for this endpoint is refused before any connection, and is no failure of the endpoint.
        var key = ApiKey(spec);
        breaker.ThrowIfOpen(clock.GetUtcNow(), spec.Id);
        try
        {
            var answer = await CallAsync(spec, key, request.Conversation, cancellationToken);
            breaker.Succeeded();
            return answer;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            breaker.Failed(clock.GetUtcNow());
            throw new ModelUnavailableException($"model '{spec.Id}' at {spec.Endpoint} failed: {Describe(e)}", e);
        }
    }

    private static async Task<ModelAnswer> CallAsync(ModelSpec spec, string key, IReadOnlyList<ChatTurn> conversation, CancellationToken cancellationToken)
    {
        var limits = spec.EffectiveLimits;
        var client = new ChatClient(spec.Model, new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(spec.Endpoint!),
            NetworkTimeout = TimeSpan.FromSeconds(limits.TimeoutSeconds),
            RetryPolicy = new ClientRetryPolicy(limits.MaxRetries),
        });
        var messages = conversation.Select(ToMessage).ToList();
        var options = Options(spec);
        if (!spec.Stream)
        {
            ChatCompletion completion = await client.CompleteChatAsync(messages, options, cancellationToken);
            var text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
            return new ModelAnswer(text, Usage(completion.Usage), completion.FinishReason.ToString(), ServedModel: Said(completion.Model), SystemFingerprint: Said(completion.SystemFingerprint));
        }

        var answer = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        string? served = null;
        string? fingerprint = null;
        await foreach (var update in client.CompleteChatStreamingAsync(messages, options, cancellationToken))
        {
            foreach (var part in update.ContentUpdate)
            {
                answer.Append(part.Text);
            }

            usage ??= update.Usage;
            finish ??= update.FinishReason;
            served ??= Said(update.Model);
            fingerprint ??= Said(update.SystemFingerprint);
        }

        return new ModelAnswer(answer.ToString(), Usage(usage), finish?.ToString() ?? "unknown", ServedModel: served, SystemFingerprint: fingerprint);
    }

    private static ChatCompletionOptions Options(ModelSpec spec)
    {
        var options = new ChatCompletionOptions
        {
            Temperature = (float?)spec.Temperature,
            TopP = (float?)spec.TopP,
            MaxOutputTokenCount = spec.MaxTokens,
        };
#pragma warning disable OPENAI001 // Seed is marked experimental in the SDK; reproducibility needs it.
        options.Seed = spec.Seed;
#pragma warning restore OPENAI001
        return options;
    }

    /// <summary>The named credential's key, checked against the endpoint again here; endpoints without auth get a placeholder.</summary>
    private string ApiKey(ModelSpec spec)
    {
        try
        {
            return spec.Credential is { } credential ? credentials.Value.Key(credential, spec.Endpoint!) : "no-key";
        }
        catch (InvalidOperationException e)
        {
            throw new ModelUnavailableException($"model '{spec.Id}': {e.Message}", e);
        }
    }

    private static ChatMessage ToMessage(ChatTurn turn) => turn.Role switch
    {
        "system" => new SystemChatMessage(turn.Content),
        "assistant" => new AssistantChatMessage(turn.Content),
        _ => new UserChatMessage(turn.Content),
    };

    /// <summary>What the endpoint said about itself; servers that leave a field out (or send it empty) said nothing.</summary>
    private static string? Said(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static TokenUsage Usage(ChatTokenUsage? usage) =>
        usage is null ? TokenUsage.None : new TokenUsage(usage.InputTokenCount, usage.OutputTokenCount);

    /// <summary>What went wrong, without anything from the request (the key travels in a header, never in a message).</summary>
    private static string Describe(Exception e) => e switch
    {
        ClientResultException { Status: > 0 } http => $"HTTP {http.Status}: {FirstLine(http.Message)}",
        OperationCanceledException or TimeoutException => "no answer within the timeout",
        _ => $"{e.GetType().Name}: {FirstLine(e.Message)}",
    };

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    /// <summary>Opens after consecutive failures, so a dead endpoint fails fast instead of tying up experiments.</summary>
    private sealed class CircuitBreaker
    {
        private readonly Lock _lock = new();
        private int _failures;
        private DateTimeOffset _openUntil;

        public void ThrowIfOpen(DateTimeOffset now, string model)
        {
            lock (_lock)
            {
                if (now < _openUntil)
                {
                    throw new ModelUnavailableException($"model '{model}': circuit open after {_failures} consecutive failures; retry after {_openUntil:O}");
                }
            }
        }

        public void Succeeded()
        {
            lock (_lock)
            {
                _failures = 0;
            }
        }

        public void Failed(DateTimeOffset now)
        {
            lock (_lock)
            {
                if (++_failures >= BreakerThreshold)
                {
                    _openUntil = now + s_breakerOpen;
                }
            }
        }
    }
}
