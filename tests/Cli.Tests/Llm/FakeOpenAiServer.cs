using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kernelsmith.Cli.Tests.Llm;

/// <summary>
/// A local OpenAI-compatible chat completions endpoint speaking the real wire protocol (JSON and SSE streaming),
/// scripted per request: answers, 429 with Retry-After, 500, a hung connection, malformed JSON; and a gate that holds
/// answers back until the test releases them.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, JsonObject, Task>> _script = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _answerable = int.MaxValue;
    private int _answered;
    private int _held;
    private int _listings;

    private FakeOpenAiServer(WebApplication app, string endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The base URL to put in a model spec (the SDK appends <c>chat/completions</c>).</summary>
    public string Endpoint { get; }

    /// <summary>What answers requests once the script is used up.</summary>
    public Func<JsonObject, string> DefaultAnswer { get; set; } = _ => "No code from me.";

    public ConcurrentQueue<(string? Authorization, JsonObject Body)> Requests { get; } = new();

    public int PeakInFlight { get; private set; }

    public TimeSpan AnswerDelay { get; set; } = TimeSpan.Zero;

    /// <summary>The model a response says answered, from the one asked for; by default the one asked for, as most servers say.</summary>
    public Func<string?, string?> ServedAs { get; set; } = asked => asked;

    /// <summary>The <c>system_fingerprint</c> every response carries; none by default (many OpenAI-compatible servers send none).</summary>
    public string? SystemFingerprint { get; set; }

    /// <summary>When set, the only key the endpoint accepts: any other gets 401 with OpenAI's error body, as OpenAI answers.</summary>
    public string? RequiredKey { get; set; }

    /// <summary>The models <c>GET /v1/models</c> lists; none by default.</summary>
    public IReadOnlyList<string> ServedModels { get; set; } = [];

    /// <summary>How many times <c>GET /v1/models</c> was asked.</summary>
    public int ModelListings => Volatile.Read(ref _listings);

    /// <summary>Requests now held at the gate (a caller that goes away while held is no longer counted).</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>
    /// Answers the next <paramref name="answers"/> requests as usual and holds every later one until
    /// <see cref="ReleaseHeld"/>: a model whose last answers come only when the test says so.
    /// </summary>
    public void HoldAfter(int answers) => _answerable = answers;

    public void ReleaseHeld() => _released.TrySetResult();

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var port = LoopbackPort.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAiServer(app, $"http://127.0.0.1:{port}/v1");
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        app.MapGet("/v1/models", server.ListModelsAsync);
        await app.StartAsync();
        return server;
    }

    public void Then(Func<HttpContext, JsonObject, Task> step) => _script.Enqueue(step);

    public void ThenTooManyRequests(int retryAfterSeconds) => Then(async (context, _) =>
    {
        context.Response.StatusCode = 429;
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(new { error = new { message = "Rate limit reached", type = "rate_limit_exceeded" } });
    });

    public void ThenServerError() => Then(async (context, _) =>
    {
        context.Response.StatusCode = 500;
        await context.Response.WriteAsJsonAsync(new { error = new { message = "internal error", type = "server_error" } });
    });

    public void ThenHang() => Then(async (context, _) => await Task.Delay(Timeout.Infinite, context.RequestAborted));

    public void ThenMalformedJson() => Then(async (context, _) =>
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{\"id\": \"chatcmpl-1\", \"choices\": [ {\"message\": ");
    });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ListModelsAsync(HttpContext context)
    {
        Interlocked.Increment(ref _listings);
        if (await RefusedAsync(context))
        {
            return;
        }

        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. ServedModels.Select(id => (JsonNode)new JsonObject { ["id"] = id, ["object"] = "model", ["created"] = 0, ["owned_by"] = "test" })]),
        });
    }

    private async Task<bool> RefusedAsync(HttpContext context)
    {
        if (RequiredKey is null || context.Request.Headers.Authorization.ToString() == $"Bearer {RequiredKey}")
        {
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = "Incorrect API key provided.", ["type"] = "invalid_request_error", ["code"] = "invalid_api_key" },
        });
        return true;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        Requests.Enqueue((context.Request.Headers.Authorization.ToString(), body));
        if (await RefusedAsync(context))
        {
            return;
        }

        var now = Interlocked.Increment(ref _inFlight);
        PeakInFlight = Math.Max(PeakInFlight, now);
        try
        {
            if (_script.TryDequeue(out var step))
            {
                await step(context, body);
                return;
            }

            if (Interlocked.Increment(ref _answered) > _answerable)
            {
                Interlocked.Increment(ref _held);
                try
                {
                    await _released.Task.WaitAsync(context.RequestAborted);
                }
                finally
                {
                    Interlocked.Decrement(ref _held);
                }
            }

            await Task.Delay(AnswerDelay, context.RequestAborted);
            var answer = DefaultAnswer(body);
            if (body["stream"]?.GetValue<bool>() == true)
            {
                await StreamAsync(context, body, answer, ServedAs(body["model"]?.GetValue<string>()), SystemFingerprint);
            }
            else
            {
                await context.Response.WriteAsJsonAsync(Completion(body, answer, ServedAs(body["model"]?.GetValue<string>()), SystemFingerprint));
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static object Completion(JsonObject body, string answer, string? model, string? fingerprint) => new
    {
        id = "chatcmpl-" + Guid.NewGuid().ToString("n")[..12],
        @object = "chat.completion",
        created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        model,
        system_fingerprint = fingerprint,
        choices = new[] { new { index = 0, message = new { role = "assistant", content = answer }, finish_reason = "stop" } },
        usage = new { prompt_tokens = PromptTokens(body), completion_tokens = answer.Length / 4, total_tokens = PromptTokens(body) + answer.Length / 4 },
    };

    private static async Task StreamAsync(HttpContext context, JsonObject body, string answer, string? model, string? fingerprint)
    {
        context.Response.ContentType = "text/event-stream";
        var id = "chatcmpl-" + Guid.NewGuid().ToString("n")[..12];
        async Task Send(object chunk)
        {
            await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk) + "\n\n");
            await context.Response.Body.FlushAsync();
        }

        await Send(new { id, @object = "chat.completion.chunk", model, system_fingerprint = fingerprint, choices = new[] { new { index = 0, delta = new { role = "assistant", content = "" }, finish_reason = (string?)null } } });
        foreach (var piece in answer.Chunk(40).Select(c => new string(c)))
        {
            await Send(new { id, @object = "chat.completion.chunk", model, system_fingerprint = fingerprint, choices = new[] { new { index = 0, delta = new { role = (string?)null, content = piece }, finish_reason = (string?)null } } });
        }

        await Send(new { id, @object = "chat.completion.chunk", model, system_fingerprint = fingerprint, choices = new[] { new { index = 0, delta = new { role = (string?)null, content = (string?)null }, finish_reason = "stop" } } });
        await Send(new { id, @object = "chat.completion.chunk", model, system_fingerprint = fingerprint, choices = Array.Empty<object>(), usage = new { prompt_tokens = PromptTokens(body), completion_tokens = answer.Length / 4, total_tokens = PromptTokens(body) + answer.Length / 4 } });
        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static int PromptTokens(JsonObject body) =>
        body["messages"]!.AsArray().Sum(m => (m!["content"]?.GetValue<string>()?.Length ?? 0) / 4);
}
