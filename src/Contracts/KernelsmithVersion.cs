using System.Reflection;

// In the root namespace, like Text: every record, report and command finds it without a using.
namespace Kernelsmith;

/// <summary>
/// This build's version as a reviewer cites it: the informational version the SDK stamps on every assembly, with the
/// git commit it was built from after a <c>+</c> (e.g. <c>1.0.0+e983257b...</c>); every project of one build shares it.
/// </summary>
public static class KernelsmithVersion
{
    public static string Current { get; } =
        typeof(KernelsmithVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The git commit in <see cref="Current"/>, or null when it was built outside a git checkout.</summary>
    public static string? Commit => Current.Split('+') is [_, var commit, ..] && commit.Length > 0 ? commit : null;
}
