using System.Security.Cryptography;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Execution;

/// <summary>The agent's disk: a fresh directory per job, and built artifacts cached by content hash.</summary>
public sealed class Workspace(string root)
{
    public const string ProgramName = "prog";

    private string Jobs => Path.Combine(root, "jobs");

    private string Artifacts => Path.Combine(root, "artifacts");

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

    public void StoreArtifact(string artifactId, string builtProgram)
    {
        var directory = Path.Combine(Artifacts, artifactId);
        Directory.CreateDirectory(directory);
        var staging = Path.Combine(directory, ProgramName + "." + Guid.NewGuid().ToString("n"));
        File.Copy(builtProgram, staging);
        File.Move(staging, Path.Combine(directory, ProgramName), overwrite: true);
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
}
