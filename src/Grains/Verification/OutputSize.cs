using System.Text;
using Kernelsmith.Contracts.Kernels;

namespace Kernelsmith.Grains.Verification;

/// <summary>
/// How much an output says: its size, and how many numbers are left once the kernel's <c>compare</c> rules dropped
/// ignored lines and masked fields (what a candidate is actually judged on).
/// </summary>
public sealed record OutputSize(int Bytes, int Lines, int Numbers)
{
    public static OutputSize Of(string output, OutputComparison compare)
    {
        var text = output.ReplaceLineEndings("\n").TrimEnd('\n');
        var numbers = OutputComparer.ComparedLines(output, compare)
            .Sum(line => OutputComparer.Tokens(line).Count(token => OutputComparer.TryNumber(token, out _)));
        return new(Encoding.UTF8.GetByteCount(output), text.Length == 0 ? 0 : text.Split('\n').Length, numbers);
    }

    public override string ToString() => $"{Bytes} bytes, {Lines} line{(Lines == 1 ? "" : "s")}, {Numbers} number{(Numbers == 1 ? "" : "s")} compared";
}
