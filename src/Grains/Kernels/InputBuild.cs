using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Scheduling;

namespace Kernelsmith.Grains.Kernels;

/// <summary>
/// What an input changes in a build (<c>defines</c> and <c>substitute</c> in kernel.yaml): sizes a program fixes in its
/// source, set per input. The reference and every answer are built through here, so they are changed alike.
/// </summary>
public static class InputBuild
{
    /// <summary>The build of <paramref name="files"/> for <paramref name="input"/>: its substitutions made, its definitions added as <c>-D</c> flags.</summary>
    /// <exception cref="InputBuildException">A substitution's text is in none of the files.</exception>
    public static BuildRequest Job(string jobId, string kernelId, KernelInput input, IReadOnlyList<CodeFile> files, BuildRecipe recipe, double timeoutSeconds) =>
        Jobs.Build(jobId, Substituted(kernelId, input, files), recipe with { Flags = [.. recipe.Flags, .. Flags(input)] }, timeoutSeconds);

    /// <summary>The <c>-D</c> flags of an input's definitions, in name order.</summary>
    public static IReadOnlyList<string> Flags(KernelInput input) =>
        [.. input.Defines.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Value.Length == 0 ? $"-D{d.Key}" : $"-D{d.Key}={d.Value}")];

    /// <summary>
    /// The files with each substitution made (every occurrence) in the file it names; when an answer has no such file
    /// or changed the text there (it renamed the file, say), in the files that still hold the text.
    /// </summary>
    /// <exception cref="InputBuildException">A substitution's text is in none of the files.</exception>
    public static IReadOnlyList<CodeFile> Substituted(string kernelId, KernelInput input, IReadOnlyList<CodeFile> files)
    {
        var result = files.ToList();
        foreach (var substitution in input.Substitutions)
        {
            var named = result.FindIndex(f => SameFile(f.Path, substitution.File) && f.Content.Contains(substitution.Text, StringComparison.Ordinal));
            var targets = named >= 0
                ? [named]
                : Enumerable.Range(0, result.Count).Where(i => result[i].Content.Contains(substitution.Text, StringComparison.Ordinal)).ToList();
            if (targets.Count == 0)
            {
                throw new InputBuildException(kernelId, input.Name, substitution);
            }

            foreach (var i in targets)
            {
                result[i] = result[i] with { Content = result[i].Content.Replace(substitution.Text, substitution.Replacement, StringComparison.Ordinal) };
            }
        }

        return result;
    }

    /// <summary>Whether two inputs build the same program (same definitions and substitutions), so one artifact serves both.</summary>
    public static bool SameBuild(KernelInput a, KernelInput b) => Describe(a) == Describe(b);

    /// <summary>What an input changes in the build, as the record's provenance says it; empty when nothing.</summary>
    public static string Describe(KernelInput input) => string.Join("; ", [
        .. Flags(input),
        .. input.Substitutions.Select(s => $"{s.File}: '{s.Text}' -> '{s.Replacement}'"),
    ]);

    private static bool SameFile(string path, string file) =>
        string.Equals(path, file, StringComparison.Ordinal) || string.Equals(Path.GetFileName(path), Path.GetFileName(file), StringComparison.Ordinal);
}

/// <summary>An input's substitution whose text is in none of the files to build: names the kernel, the input and the file.</summary>
public sealed class InputBuildException(string kernelId, string input, SourceSubstitution substitution)
    : Exception($"kernel '{kernelId}', input '{input}': the text '{substitution.Text}' that it replaces in {substitution.File} is not there")
{
    public string File { get; } = substitution.File;

    public string Text { get; } = substitution.Text;
}
