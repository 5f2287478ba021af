using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Llm;

/// <summary>Answers of real endpoints, kept so a re-run replays them at no cost and reproduces its results.</summary>
public interface IResponseCache
{
    Task<ModelAnswer?> GetAsync(string key, CancellationToken cancellationToken);

    Task PutAsync(string key, ModelAnswer answer, CancellationToken cancellationToken);
}

/// <summary>The cache key: everything that determines an answer, and nothing secret.</summary>
public static class ResponseCacheKey
{
    public static string For(ModelSpec model, IReadOnlyList<ChatTurn> conversation, int sample)
    {
        var text = new StringBuilder()
            .Append(model.Provider).Append('\0').Append(model.Endpoint).Append('\0').Append(model.Model).Append('\0')
            .Append(model.Temperature).Append('\0').Append(model.TopP).Append('\0').Append(model.MaxTokens).Append('\0')
            .Append(model.Seed).Append('\0').Append(sample).Append('\0');
        foreach (var turn in conversation)
        {
            text.Append(turn.Role).Append('\0').Append(turn.Content).Append('\0');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>A cache in a directory, one JSON file per answer, written atomically.</summary>
public sealed class FileResponseCache(string directory) : IResponseCache
{
    public async Task<ModelAnswer?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<ModelAnswer>(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async Task PutAsync(string key, ModelAnswer answer, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var staging = path + "." + Guid.NewGuid().ToString("n");
        await File.WriteAllTextAsync(staging, JsonSerializer.Serialize(answer), cancellationToken);
        File.Move(staging, path, overwrite: true);
    }

    private string PathOf(string key) => Path.Combine(directory, key[..2], key + ".json");
}
