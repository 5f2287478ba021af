namespace Kernelsmith.Cli.Commands;

/// <summary>Where the kernel catalog is: the folders given with --kernels, else the nearest <c>kernels/</c>.</summary>
internal static class KernelDirectories
{
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string>? given, string? nearPath)
    {
        if (given is { Count: > 0 })
        {
            return given;
        }

        var starts = new[] { nearPath is null ? null : Path.GetDirectoryName(Path.GetFullPath(nearPath)), Directory.GetCurrentDirectory(), AppContext.BaseDirectory };
        foreach (var start in starts.OfType<string>())
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "kernels");
                if (Directory.Exists(candidate))
                {
                    return [candidate];
                }
            }
        }

        return ["kernels"];
    }
}
