using System.Globalization;

namespace Kernelsmith.Agents.Node.Capabilities;

/// <summary>
/// One MPI installation as a build names it: its compiler wrappers and the launcher that must start what they
/// built. Debian installs Open MPI and MPICH side by side (<c>mpicc.openmpi</c>, <c>mpicc.mpich</c>) and points the
/// plain names (<c>mpicc</c>, <c>mpirun</c>) at one of them; a site's module system usually gives only the plain names.
/// </summary>
public sealed record MpiToolchain(string Implementation, string Version, string Launcher, IReadOnlyList<string> Compilers)
{
    public const string OpenMpi = "openmpi";
    public const string Mpich = "mpich";

    private static readonly Lazy<MpiDetection> s_detected = new(() => Detect(null));

    /// <summary>What this machine has and can use; the plain-named toolchain, when there is one, comes first.</summary>
    public static IReadOnlyList<MpiToolchain> Installed => s_detected.Value.Working;

    /// <summary>This machine's toolchains, with those found but refused.</summary>
    public static MpiDetection Detection => s_detected.Value;

    /// <summary>The toolchain whose compiler wrapper this is, or null when it is not an MPI wrapper here.</summary>
    public static MpiToolchain? ForCompiler(string compiler) => Installed.FirstOrDefault(t => t.Compilers.Contains(compiler));

    /// <summary>The toolchain a launcher name belongs to, or the default one when the name is unknown.</summary>
    public static MpiToolchain? ForLauncher(string? launcher) =>
        Installed.FirstOrDefault(t => t.Launcher == launcher) ?? Installed.FirstOrDefault();

    /// <summary>
    /// The command that starts <paramref name="ranks"/> copies of a program. MPI's own binding is off: it ignores the
    /// cores the agent pinned the job to, so the job's affinity mask does the pinning. Jobs never run as root (see
    /// <see cref="Execution.Sandbox"/>), so Open MPI needs no --allow-run-as-root; it needs --oversubscribe because it counts the whole machine's
    /// cores, not the job's. Hydra (MPICH) forks its ranks locally rather than looking for ssh.
    /// </summary>
    public IReadOnlyList<string> LaunchCommand(int ranks)
    {
        var count = ranks.ToString(CultureInfo.InvariantCulture);
        return Implementation == OpenMpi
            ? [Launcher, "--oversubscribe", "--bind-to", "none", "-np", count]
            : [Launcher, "-launcher", "fork", "-np", count];
    }

    /// <summary>
    /// The toolchains whose launcher answers, each kept only when a test program builds with its wrapper and runs on
    /// two ranks (<see cref="ToolchainCheck.Mpi"/>); with an environment, tools are looked up on its PATH.
    /// </summary>
    public static MpiDetection Detect(IReadOnlyDictionary<string, string>? environment)
    {
        var found = new List<MpiToolchain>();
        if (Identify(environment, "mpirun") is { } plain)
        {
            found.Add(new MpiToolchain(plain.Implementation, plain.Version, "mpirun", ["mpicc", "mpicxx", "mpic++"]));
        }

        foreach (var implementation in new[] { OpenMpi, Mpich })
        {
            var launcher = $"mpirun.{implementation}";
            if (Identify(environment, launcher) is { } named && named.Implementation == implementation)
            {
                found.Add(new MpiToolchain(implementation, named.Version, launcher, [$"mpicc.{implementation}", $"mpicxx.{implementation}", $"mpic++.{implementation}"]));
            }
        }

        var working = new List<MpiToolchain>();
        var refused = new List<string>();
        // The plain names are usually links to one of the named toolchains: the same wrapper and launcher are tried once.
        var checkedFiles = new Dictionary<(string Compiler, string Launcher), string?>();
        foreach (var toolchain in found)
        {
            var files = (CapabilityProbe.RealPath(toolchain.Compilers[0], environment), CapabilityProbe.RealPath(toolchain.Launcher, environment));
            if (!checkedFiles.TryGetValue(files, out var problem))
            {
                problem = checkedFiles[files] = ToolchainCheck.Mpi(toolchain, environment);
            }

            if (problem is not null)
            {
                refused.Add($"mpi ({toolchain.Version}, {toolchain.Launcher}): {problem}");
            }
            else
            {
                working.Add(toolchain);
            }
        }

        return new MpiDetection(working, refused);
    }

    /// <summary>Which MPI a launcher belongs to, from what it says about its version.</summary>
    private static (string Implementation, string Version)? Identify(IReadOnlyDictionary<string, string>? environment, string launcher)
    {
        var text = CapabilityProbe.Output(environment, launcher, "--version");
        if (text is null)
        {
            return null;
        }

        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // Open MPI's launcher names itself after its runtime when called by another name: "mpirun.openmpi (OpenRTE) 4.1.4".
        if (lines.FirstOrDefault(l => l.Contains("(Open MPI)", StringComparison.Ordinal) || l.Contains("(OpenRTE)", StringComparison.Ordinal)) is { } openMpi)
        {
            return (OpenMpi, "Open MPI " + openMpi[(openMpi.LastIndexOf(' ') + 1)..]);
        }

        // Hydra, MPICH's launcher, prints its build details; its version is MPICH's.
        if (lines.FirstOrDefault(l => l.StartsWith("Version:", StringComparison.Ordinal)) is { } hydra && text.Contains("HYDRA", StringComparison.Ordinal))
        {
            return (Mpich, "MPICH " + hydra["Version:".Length..].Trim());
        }

        return null;
    }
}

/// <summary>The MPI toolchains a machine can use, and those installed but refused, each with its problem.</summary>
public sealed record MpiDetection(IReadOnlyList<MpiToolchain> Working, IReadOnlyList<string> Refused);
