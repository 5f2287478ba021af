using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Execution;

/// <summary>
/// The agent's disk: a fresh directory per job, and built artifacts cached by content hash. Artifacts are
/// copied in and out by the agent, so a job can neither see nor alter the cache.
/// </summary>
public sealed partial class Workspace
{
    public const string ProgramName = "prog";
    private const string LauncherTag = "launcher";

    private readonly string _root;

    public Workspace(string root)
    {
        _root = Path.GetFullPath(root);
        // Jobs may run as another user, which must reach its own directory but not list the others.
        Directory.CreateDirectory(Jobs);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Jobs, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }

    private string Jobs => Path.Combine(_root, "jobs");

    private string Artifacts => Path.Combine(_root, "artifacts");

    public string NewJobDirectory()
    {
        var directory = Path.Combine(Jobs, Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Writes job files under a directory, refusing paths that escape it.</summary>
    public static void WriteFiles(string directory, IEnumerable<SourceFile> files)
    {
        foreach (var file in files)
        {
            var target = Path.GetFullPath(Path.Combine(directory, file.Path));
            if (!target.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new ArgumentException($"file path '{file.Path}' escapes the work directory");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, file.Content.ToByteArray());
        }
    }

    /// <summary>Gives a prepared job directory, and everything in it, to the user the job runs as.</summary>
    public static void HandOver(string directory, int uid)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).Prepend(directory))
        {
            if (Chown(path, uid, uid) != 0)
            {
                throw new IOException($"cannot give {path} to uid {uid}: errno {Marshal.GetLastPInvokeError()}");
            }
        }
    }

    /// <summary>
    /// A regular file the job left at a relative path, reached without following links: a job that plants
    /// <c>out.txt -&gt; /etc/shadow</c> must not make the agent read the host's files for it.
    /// </summary>
    public static string? RegularFile(string directory, string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(directory, relativePath));
        if (!full.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return null;
        }

        var path = directory;
        foreach (var part in full[(directory.Length + 1)..].Split(Path.DirectorySeparatorChar))
        {
            path = Path.Combine(path, part);
            FileSystemInfo entry = new FileInfo(path);
            if (!entry.Exists && Directory.Exists(path))
            {
                entry = new DirectoryInfo(path);
            }

            if (!entry.Exists || entry.LinkTarget is not null)
            {
                return null;
            }
        }

        return File.Exists(full) ? full : null;
    }

    /// <summary>Bytes a job keeps in its directory, each file rounded up to whole 4 KiB blocks so that a million empty files count too.</summary>
    public static long DiskUsage(string directory)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        long total = 0;
        try
        {
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", options))
            {
                total += entry is FileInfo { LinkTarget: null } file ? (file.Length + 4095) / 4096 * 4096 : 4096;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Files come and go while the job runs: count what could be seen.
        }

        return total;
    }

    /// <summary>The content hash of a build: the same sources, compiler and flags give the same artifact.</summary>
    public static string ArtifactId(BuildJob job)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in job.Files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(file.Path + "\0"));
            hash.AppendData(file.Content.Span);
            hash.AppendData("\0"u8);
        }

        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(string.Join("\0", [job.Compiler, .. job.Flags, "|", .. job.Libraries])));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public string? FindArtifact(string artifactId)
    {
        if (artifactId.Length != 64 || !artifactId.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var path = Path.Combine(Artifacts, artifactId, ProgramName);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Keeps a built program, with the MPI launcher that must start it when an MPI wrapper built it.</summary>
    public void StoreArtifact(string artifactId, string builtProgram, string? mpiLauncher)
    {
        var directory = Path.Combine(Artifacts, artifactId);
        Directory.CreateDirectory(directory);
        if (mpiLauncher is not null)
        {
            File.WriteAllText(Path.Combine(directory, LauncherTag), mpiLauncher);
        }

        var staging = Path.Combine(directory, ProgramName + "." + Guid.NewGuid().ToString("n"));
        File.Copy(builtProgram, staging);
        File.Move(staging, Path.Combine(directory, ProgramName), overwrite: true);
    }

    /// <summary>The MPI launcher recorded with an artifact, or null when no MPI wrapper built it.</summary>
    public string? ArtifactLauncher(string artifactId)
    {
        var path = Path.Combine(Artifacts, artifactId, LauncherTag);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    public static void Delete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover job directory is harmless; the next start may clean it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, int owner, int group);
}
