using Kernelsmith.Grains.Kernels;

namespace Kernelsmith.Grains.Tests;

/// <summary>The repository's own kernel catalog, found from the test's output folder.</summary>
internal static class TestCatalog
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static KernelCatalog Load() => KernelCatalog.Load([Path.Combine(RepositoryRoot, "kernels")]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Kernelsmith.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
