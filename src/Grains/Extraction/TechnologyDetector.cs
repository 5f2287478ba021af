using System.Text.RegularExpressions;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Extraction;

/// <summary>Which technology an answer uses when the model was free to choose: its own statement first, then its code.</summary>
public static partial class TechnologyDetector
{
    public static string? Detect(string answer, IReadOnlyList<string> allowed)
    {
        var stated = Stated().Match(answer);
        if (stated.Success)
        {
            var name = stated.Groups["name"].Value.ToLowerInvariant();
            if (allowed.Contains(name))
            {
                return name;
            }
        }

        string? byCode =
            Cuda().IsMatch(answer) ? Technologies.Cuda
            : Mpi().IsMatch(answer) ? Technologies.Mpi
            : OpenMp().IsMatch(answer) ? Technologies.OpenMp
            : null;
        return byCode is not null && allowed.Contains(byCode) ? byCode : null;
    }

    [GeneratedRegex(@"^\W*technology\W*:\s*\W*(?<name>openmp|mpi|cuda)\b", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.NonBacktracking)]
    private static partial Regex Stated();

    [GeneratedRegex(@"__global__|<<<", RegexOptions.NonBacktracking)]
    private static partial Regex Cuda();

    [GeneratedRegex(@"\bMPI_Init\b", RegexOptions.NonBacktracking)]
    private static partial Regex Mpi();

    [GeneratedRegex(@"#\s*pragma\s+omp\b", RegexOptions.NonBacktracking)]
    private static partial Regex OpenMp();
}
