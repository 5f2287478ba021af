using Kernelsmith.Cli.Commands;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>Prompt strategies end to end: the model choosing the technology, and three suggestions per answer.</summary>
public sealed class PromptStrategyTests
{
    [Fact]
    public async Task Run_ChooseAndKeywordPrompts_GiveOneCorrectRecordPerSampleWithTheChosenTechnology()
    {
        var output = Path.Combine(Path.GetTempPath(), "kernelsmith-tests", "strategies-" + Guid.NewGuid().ToString("n")[..8]);

        await RunCommand.RunAsync(new FileInfo(Repository.TestData("strategies.yaml")), new DirectoryInfo(output), [Repository.Kernels],
            CancellationToken.None, [Path.Combine(Repository.Root, "prompts")]);

        var records = new ResultsDirectory(output).ReadRecords();
        Assert.Equal(2 * 2 * 3, records.Count);
        Assert.All(records, r => Assert.Equal(Verdict.Correct, r.Verdict));
        var chosen = records.Where(r => r.TechnologyChosenByModel).ToList();
        Assert.Equal(6, chosen.Count);
        Assert.All(chosen, r => Assert.Equal("openmp", r.Technology));
        Assert.Equal([0, 1, 2], records.Where(r => r.Prompt == "keyword" && !r.TechnologyChosenByModel).Select(r => r.Sample).Order());
        var prompt = File.ReadAllText(Path.Combine(output, ResultsDirectory.AttemptsFolder(records.First(r => r.Prompt == "keyword")), "round-0", "prompt.md"));
        Assert.StartsWith("Create 3 code suggestions", prompt, StringComparison.Ordinal);
    }
}
