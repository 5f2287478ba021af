using Kernelsmith.Cli.Commands;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Tests.Embedded;

public sealed class CrossModelRepairTests
{
    [Fact]
    public async Task Run_RepairModelNamed_AnotherModelRepairsTheFirstOnesCode()
    {
        var output = Path.Combine(Path.GetTempPath(), "kernelsmith-tests", "cross-" + Guid.NewGuid().ToString("n")[..8]);

        await RunCommand.RunAsync(new FileInfo(Repository.TestData("cross-repair.yaml")), new DirectoryInfo(output), [Repository.Kernels], CancellationToken.None);

        var records = new ResultsDirectory(output).ReadRecords();
        var broken = Assert.Single(records, r => r.Model.StartsWith("broken ", StringComparison.Ordinal));
        Assert.Equal(Verdict.Correct, broken.Verdict);
        Assert.Equal(2, broken.Rounds);
        var folder = Path.Combine(output, ResultsDirectory.AttemptsFolder(broken));
        Assert.StartsWith("no_code", File.ReadAllText(Path.Combine(folder, "round-0", "verdict.txt")), StringComparison.Ordinal);
        Assert.Contains("[simulated: sim expert]", File.ReadAllText(Path.Combine(folder, "round-1", "answer.md")), StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(records, r => r.Model.StartsWith("expert ", StringComparison.Ordinal)).Rounds);
    }
}

/// <summary>Chat completions recorded elsewhere (a JSONL of OpenAI responses) are re-verified here, round by round.</summary>
public sealed class ReplayRecordingTests
{
    [Fact]
    public async Task Run_RecordedChatCompletions_AreVerifiedWithTheirTokenUsage()
    {
        var output = Path.Combine(Path.GetTempPath(), "kernelsmith-tests", "replay-" + Guid.NewGuid().ToString("n")[..8]);

        await RunCommand.RunAsync(new FileInfo(Repository.TestData("replay-jsonl.yaml")), new DirectoryInfo(output), [Repository.Kernels], CancellationToken.None);

        var record = Assert.Single(new ResultsDirectory(output).ReadRecords());
        Assert.Equal(Verdict.Correct, record.Verdict);
        Assert.Equal(2, record.Rounds);
        Assert.Equal(new TokenUsage(812, 640), record.Tokens);
        Assert.True(record.Provenance.Simulated);
        Assert.StartsWith("wrong_output", File.ReadAllText(Path.Combine(output, ResultsDirectory.AttemptsFolder(record), "round-0", "verdict.txt")), StringComparison.Ordinal);
    }
}

/// <summary>Sanitizer runs: a data race fails the verdict even when the output is right; a clean program passes.</summary>
public sealed class SanitizerTests
{
    [Fact]
    public async Task Run_RaceWithRightOutput_IsCaughtByThreadSanitizer_AndTheExpertPasses()
    {
        var output = Path.Combine(Path.GetTempPath(), "kernelsmith-tests", "sanitizers-" + Guid.NewGuid().ToString("n")[..8]);

        await RunCommand.RunAsync(new FileInfo(Repository.TestData("sanitizers.yaml")), new DirectoryInfo(output), [Repository.Kernels], CancellationToken.None);

        var records = new ResultsDirectory(output).ReadRecords();
        var expert = Assert.Single(records, r => r.Model.StartsWith("expert ", StringComparison.Ordinal));
        var racy = Assert.Single(records, r => r.Model.StartsWith("racy ", StringComparison.Ordinal));
        Assert.Equal(Verdict.Correct, expert.Verdict);
        Assert.DoesNotContain(expert.Taxonomy, t => t.Stage == "sanitize");
        Assert.Equal(Verdict.RuntimeError, racy.Verdict);
        var race = Assert.Single(racy.Taxonomy, t => t.Category == "data_race");
        Assert.Equal("sanitize", race.Stage);
        Assert.Contains("ThreadSanitizer", race.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(racy.Taxonomy, t => t.Category == "wrong_output");
    }
}
