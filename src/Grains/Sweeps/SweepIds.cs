using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Sweeps;

public static class SweepIds
{
    /// <summary>The same spec and kernels give the same sweep id, so a resubmission is recognised.</summary>
    public static string For(SweepSpec spec, IEnumerable<KernelDefinition> kernels)
    {
        var text = JsonSerializer.Serialize(spec) + string.Join(",", kernels.Select(k => k.ContentHash));
        return $"{spec.Name}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8]}";
    }

    /// <summary>The spec alone, as parsed (comments and layout aside), as 16 hex digits: what every record's provenance cites.</summary>
    public static string SpecHash(SweepSpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(spec))))[..16];
}
