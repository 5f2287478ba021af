namespace Kernelsmith.Cli.Commands;

/// <summary>Where the catalogs are: the folders given on the command line, else the nearest <c>kernels/</c> or <c>prompts/</c>.</summary>
internal static class CatalogDirectories
{
    public const string Kernels = "kernels";
    public const string Prompts = "prompts";

    public static IReadOnlyList<string> Resolve(IReadOnlyList<string>? given, string? nearPath, string name = Kernels)
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
                var candidate = Path.Combine(directory.FullName, name);
                if (Directory.Exists(candidate))
                {
                    return [candidate];
                }
            }
        }

        return [name];
    }
}
