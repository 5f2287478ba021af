namespace Kernelsmith.Grains.Experiments;

/// <summary>Names of the grain storage providers each host must configure.</summary>
public static class StorageNames
{
    public const string Experiments = "experiments";
    public const string Sweeps = "sweeps";
}
