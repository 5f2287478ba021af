using Microsoft.Extensions.Options;

namespace Kernelsmith.Silo.Hosting;

/// <summary>How a silo joins its cluster. Bound from the <c>Silo</c> section.</summary>
public sealed class SiloOptions
{
    public const string Section = "Silo";

    public string ClusterId { get; set; } = "kernelsmith";

    public string ServiceId { get; set; } = "kernelsmith";

    /// <summary>
    /// A StackExchange.Redis connection string (e.g. <c>127.0.0.1:6379</c>). When set, the silo joins a Redis-backed
    /// cluster with Redis grain storage and reminders; when not, it runs alone on localhost with in-memory storage.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>
    /// In a Kubernetes pod (Redis clustering only): Orleans' Kubernetes hosting takes the silo's name and address from
    /// the pod (<c>POD_NAME</c>, <c>POD_IP</c>, <c>POD_NAMESPACE</c>), listens on every interface, and deletes the pods
    /// of silos the cluster declared dead. Needs a service account that may get, list, watch and delete pods.
    /// </summary>
    public bool Kubernetes { get; set; }

    /// <summary>The address other silos reach this one at (Redis clustering only).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Kernel catalog folders the silo knows besides those a submission carries.</summary>
    public string[] Kernels { get; set; } = [];

    /// <summary>Prompt template folders the silo knows besides those a submission carries.</summary>
    public string[] Prompts { get; set; } = [];

    /// <summary>Where answers of real model endpoints are cached, so a re-run replays them at no cost.</summary>
    public string ResponseCache { get; set; } = Path.Combine(
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
        "kernelsmith", "responses");
}

internal sealed class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        var failures = new List<string>();
        if (options.SiloPort is < 1 or > 65535 || options.GatewayPort is < 1 or > 65535 || options.SiloPort == options.GatewayPort)
        {
            failures.Add($"{SiloOptions.Section}:SiloPort and {SiloOptions.Section}:GatewayPort must be two different ports in 1..65535");
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId) || string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add($"{SiloOptions.Section}:ClusterId and {SiloOptions.Section}:ServiceId must not be empty");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
