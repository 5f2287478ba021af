using System.Text;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;

namespace Kernelsmith.Grains.Verification;

/// <summary>
/// Measures how much a reference output says (<see cref="OutputStrength"/>): its size, the numbers a candidate is
/// judged on once the kernel's <c>compare</c> rules are applied, and whether it changes with the input or the computation.
/// </summary>
public static class VerificationStrength
{
    /// <summary>An output that leaves fewer numbers than this to compare is weak: a count of iterations, one total.</summary>
    public const int FewNumbers = 2;

    /// <param name="changes">Whether the output changed on other inputs (or a perturbed computation); null when not measured.</param>
    /// <param name="checker">The kernel's checker judges its output files: a short printed output is then no weakness.</param>
    public static OutputStrength Measure(string output, OutputComparison compare, bool? changes, bool checker = false)
    {
        var text = output.ReplaceLineEndings("\n").TrimEnd('\n');
        var numbers = OutputComparer.ComparedLines(output, compare)
            .Sum(line => OutputComparer.Tokens(line).Count(token => OutputComparer.TryNumber(token, out _)));
        var strength = new OutputStrength(Encoding.UTF8.GetByteCount(output), text.Length == 0 ? 0 : text.Split('\n').Length, numbers)
        {
            ChangesAcrossInputs = changes,
        };
        var weaknesses = new List<string>();
        if (numbers < FewNumbers)
        {
            weaknesses.Add($"{numbers} number{(numbers == 1 ? "" : "s")} compared");
        }

        if (changes == false)
        {
            weaknesses.Add("the same output on every input");
        }

        return strength with { Weakness = weaknesses.Count > 0 && !checker ? string.Join("; ", weaknesses) : null };
    }

    /// <summary>Whether the kernel's comparison tells two outputs of the reference apart (another input, a perturbed build).</summary>
    public static bool Differ(string output, string other, OutputComparison compare) => !OutputComparer.Compare(output, other, compare).Matches;
}
