using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Experiments.Stages;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>A 50 MB answer is a verdict of the answer, stored clipped to its head with a note saying so.</summary>
public sealed class LargeAnswerTests
{
    [Fact]
    public async Task Run_FiftyMegabyteAnswer_IsStoredClippedAndJudged()
    {
        var (record, attempts) = await ReplaySweep.RunAsync("0.md", async path =>
        {
            await using var answer = File.CreateText(path);
            await answer.WriteAsync("Let me think about this step by step.\n");
            var line = new string('x', 99) + "\n";
            for (var i = 0; i < 500_000; i++)
            {
                await answer.WriteAsync(line);
            }
        });

        Assert.Equal(Verdict.NoCode, record.Verdict);
        var stored = await File.ReadAllTextAsync(Path.Combine(attempts, "round-0", "answer.md"));
        Assert.StartsWith("Let me think about this step by step.\n", stored, StringComparison.Ordinal);
        Assert.EndsWith("[answer clipped by Kernelsmith: 50000038 characters in all, the first ones kept]", stored, StringComparison.Ordinal);
        Assert.InRange(stored.Length, GenerateStage.MaxAnswer - 200, GenerateStage.MaxAnswer);
    }
}
