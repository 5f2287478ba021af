using Kernelsmith.Cli.Commands;
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
        var work = Directory.CreateTempSubdirectory("kernelsmith-large-").FullName;
        var answers = Directory.CreateDirectory(Path.Combine(work, "answers", "gemm", "openmp")).FullName;
        await using (var answer = File.CreateText(Path.Combine(answers, "0.md")))
        {
            await answer.WriteAsync("Let me think about this step by step.\n");
            var line = new string('x', 99) + "\n";
            for (var i = 0; i < 500_000; i++)
            {
                await answer.WriteAsync(line);
            }
        }

        var spec = Path.Combine(work, "large.yaml");
        await File.WriteAllTextAsync(spec, """
            name: large
            kernels: [gemm]
            technologies: [openmp]
            models:
              - { id: chat, provider: replay, directory: answers }
            run: { input: tiny, threads: [1], repetitions: 1, max_pairs: 1, warmups: 0, expert: false }
            verify: { amplify: false, sanitizers: [] }
            """);
        var output = Path.Combine(work, "out");

        await RunCommand.RunAsync(new FileInfo(spec), new DirectoryInfo(output), [Repository.Kernels], CancellationToken.None);

        var record = Assert.Single(new ResultsDirectory(output).ReadRecords());
        Assert.Equal(Verdict.NoCode, record.Verdict);
        var stored = await File.ReadAllTextAsync(Path.Combine(output, ResultsDirectory.AttemptsFolder(record), "round-0", "answer.md"));
        Assert.StartsWith("Let me think about this step by step.\n", stored, StringComparison.Ordinal);
        Assert.EndsWith("[answer clipped by Kernelsmith: 50000038 characters in all, the first ones kept]", stored, StringComparison.Ordinal);
        Assert.InRange(stored.Length, GenerateStage.MaxAnswer - 200, GenerateStage.MaxAnswer);
    }
}
