namespace Kernelsmith.Dashboard.Tests;

internal static class Repository
{
    public static string Root { get; } = Find();

    /// <summary>Where the tests leave the pages' screenshots: beside the test results CI keeps.</summary>
    public static string Screenshots { get; } = Path.Combine(Root, "TestResults", "dashboard-screenshots");

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Kernelsmith.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
