namespace Kernelsmith.Results.Tables;

/// <summary>
/// The compiler and MPI columns of the tables, from the record's <c>toolchain</c> (<c>TOOL: VERSION</c>, the build's
/// compiler driver as the agent reported it): an MPI wrapper's version is the MPI implementation's.
/// </summary>
public static class ToolchainColumns
{
    /// <summary>The compiler that built the program with its version line; for an MPI build, the wrapper's name.</summary>
    public static string? Compiler(string toolchain) => Split(toolchain) switch
    {
        ("", _) => null,
        (var tool, { } version) when !IsMpiWrapper(tool) => version.Contains(tool, StringComparison.Ordinal) ? version : $"{tool} {version}",
        var (tool, _) => tool,
    };

    /// <summary>The MPI implementation and version of an MPI build (<c>Open MPI 4.1.4</c>, <c>MPICH 4.0.2</c>); null otherwise.</summary>
    public static string? Mpi(string toolchain) => Split(toolchain) is var (tool, version) && IsMpiWrapper(tool) ? version : null;

    private static (string Tool, string? Version) Split(string toolchain) =>
        toolchain.Split(':', 2, StringSplitOptions.TrimEntries) switch
        {
            [var tool, { Length: > 0 } version] => (tool, version),
            [var tool, ..] => (tool, null),
            _ => ("", null),
        };

    /// <summary><c>mpicc</c>, <c>mpicxx</c>, <c>mpic++</c>, also as Debian names them side by side (<c>mpicc.mpich</c>).</summary>
    private static bool IsMpiWrapper(string tool) => tool.Split('.')[0] is "mpicc" or "mpicxx" or "mpic++" or "mpiCC" or "mpif90";
}
