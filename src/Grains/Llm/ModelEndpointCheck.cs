using System.ClientModel;
using System.ClientModel.Primitives;
using Kernelsmith.Contracts.Sweeps;
using OpenAI;
using OpenAI.Models;

namespace Kernelsmith.Grains.Llm;

/// <summary>What an endpoint said about a model before the sweep: why it will refuse every call, or a doubt worth saying.</summary>
public sealed record ModelAccess(string? Refusal, string? Doubt)
{
    public static readonly ModelAccess Unknown = new(null, null);
}

/// <summary>
/// Asks an OpenAI-compatible endpoint which models it serves (<c>GET /models</c>: free, no tokens) with the key the
/// sweep would send, so that a wrong or missing key is found before the first experiment rather than as one
/// <c>infra_error</c> per experiment. An endpoint that lists nothing (or has no such route) proves nothing either way.
/// </summary>
public static class ModelEndpointCheck
{
    public static async Task<ModelAccess> CheckAsync(ModelSpec model, string? key, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var endpoint = model.Endpoint ?? Contracts.Security.ModelCredentials.OpenAiEndpoint;
        var client = new OpenAIModelClient(new ApiKeyCredential(key ?? "no-key"), new OpenAIClientOptions
        {
            Endpoint = new Uri(endpoint),
            NetworkTimeout = timeout,
            RetryPolicy = new ClientRetryPolicy(0),
        });
        try
        {
            OpenAIModelCollection served = await client.GetModelsAsync(cancellationToken);
            var ids = served.Select(m => m.Id).ToList();
            return ids.Count == 0 || ids.Contains(model.Model, StringComparer.Ordinal)
                ? ModelAccess.Unknown
                : new(null, $"endpoint {endpoint} does not list model '{model.Model}' (it lists {string.Join(", ", ids.Take(8))}{(ids.Count > 8 ? ", ..." : "")})");
        }
        catch (ClientResultException e) when (e.Status is 401 or 403)
        {
            var whose = model.Credential is { } credential ? $"the key of credential '{credential}'" : "a call without a key (the model names no credential)";
            return new($"endpoint {endpoint} refused {whose}: HTTP {e.Status} {FirstLine(e.Message)}", null);
        }
        catch (Exception e) when (e is ClientResultException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return ModelAccess.Unknown;
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
