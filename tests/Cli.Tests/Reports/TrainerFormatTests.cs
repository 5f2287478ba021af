using System.Text.Json;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;
using Kernelsmith.Results.Reports;

namespace Kernelsmith.Cli.Tests.Reports;

/// <summary>
/// Issue 18, item 3: <c>export --format</c> as the trainers read it, each line checked against the format's documented
/// schema: OpenAI's chat fine-tuning (<c>{"messages": [{"role", "content", "weight"?}]}</c>, roles system, user,
/// assistant, ending on an assistant turn, weight 0 or 1 on assistant turns only) and TRL's conversational preference
/// format for DPO (<c>prompt</c>, <c>chosen</c>, <c>rejected</c>: message lists, the answers single assistant turns).
/// </summary>
public sealed class TrainerFormatTests(ReportFixture fixture) : IClassFixture<ReportFixture>, IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("kernelsmith-formats-").FullName;

    [Fact]
    public async Task ExportOpenAiChat_CorrectAnswersOnly_AsValidChatFineTuningLines()
    {
        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync("export", fixture.Folder, "--dataset", _output, "--format", "openai-chat", "--json");

        Assert.True(exit == 0, stderr);
        var written = JsonDocument.Parse(stdout).RootElement;
        var lines = File.ReadAllLines(written.GetProperty("file").GetString()!);
        var correct = ReportFixture.Records.Count(r => r.Verdict == Contracts.Experiments.Verdict.Correct);
        Assert.Equal(correct, lines.Length);
        Assert.Equal(correct, written.GetProperty("count").GetInt32());
        foreach (var line in lines)
        {
            var example = JsonDocument.Parse(line).RootElement;
            Assert.Equal(["messages"], example.EnumerateObject().Select(p => p.Name));
            var messages = example.GetProperty("messages").EnumerateArray().ToList();
            Assert.True(messages.Count >= 2, line);
            foreach (var message in messages)
            {
                var role = message.GetProperty("role").GetString();
                Assert.Contains(role, new[] { "system", "user", "assistant" });
                Assert.Equal(JsonValueKind.String, message.GetProperty("content").ValueKind);
                Assert.All(message.EnumerateObject(), p => Assert.Contains(p.Name, new[] { "role", "content", "weight" }));
                if (message.TryGetProperty("weight", out var weight))
                {
                    Assert.Equal("assistant", role);
                    Assert.Contains(weight.GetInt32(), new[] { 0, 1 });
                }
            }

            // The system turn the model was given, then turns alternate, user first, and the conversation ends on the correct
            // answer, which is trained on.
            Assert.Equal(("system", ReportFixture.SystemTurn), (messages[0].GetProperty("role").GetString(), messages[0].GetProperty("content").GetString()));
            messages = messages[1..];
            Assert.Equal(messages.Select((_, i) => i % 2 == 0 ? "user" : "assistant"), messages.Select(m => m.GetProperty("role").GetString()));
            Assert.False(messages[^1].TryGetProperty("weight", out _));
        }

        // The mutant repaired after three rounds keeps its whole conversation; the failed answers are not learnt from.
        var repaired = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("messages").EnumerateArray().Skip(1).ToList()).Single(m => m.Count == 6);
        Assert.Equal("answer 2 of mutant", repaired[^1].GetProperty("content").GetString());
        Assert.Equal([0, 0], repaired.Where((_, i) => i is 1 or 3).Select(m => m.GetProperty("weight").GetInt32()));
        Assert.Equal("Your program failed verification.", repaired[2].GetProperty("content").GetString());
    }

    [Fact]
    public async Task ExportTrlDpo_PairsAsPromptChosenRejectedMessageLists()
    {
        var (exit, _, stderr) = await CommandLineTests.KernelsmithAsync("export", fixture.Folder, "--dataset", _output, "--format", "trl-dpo");

        Assert.True(exit == 0, stderr);
        var lines = File.ReadAllLines(Path.Combine(_output, "trl-dpo.jsonl"));
        var (_, pairs) = DatasetExport.Write(new ResultsDirectory(fixture.Folder), new ResultsDirectory(fixture.Folder).ReadRecords(), null, Path.Combine(_output, "jsonl"));
        Assert.Equal(pairs, lines.Length);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var pair = JsonDocument.Parse(line).RootElement;
            Assert.Equal(["prompt", "chosen", "rejected"], pair.EnumerateObject().Select(p => p.Name));
            var opening = pair.GetProperty("prompt").EnumerateArray().ToList();
            Assert.Equal(["system", "user"], opening.Select(m => m.GetProperty("role").GetString()));
            Assert.Equal(ReportFixture.SystemTurn, opening[0].GetProperty("content").GetString());
            var prompt = opening[1];
            Assert.StartsWith("Parallelise the following sequential C program", prompt.GetProperty("content").GetString(), StringComparison.Ordinal);
            foreach (var side in new[] { "chosen", "rejected" })
            {
                var answer = Assert.Single(pair.GetProperty(side).EnumerateArray());
                Assert.Equal("assistant", answer.GetProperty("role").GetString());
                Assert.Equal(JsonValueKind.String, answer.GetProperty("content").ValueKind);
            }
        }
    }

    [Fact]
    public async Task ExportTrlKto_EveryRoundsAnswerLabelledByItsVerdictAfterTheConversationThatLedToIt()
    {
        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync("export", fixture.Folder, "--dataset", _output, "--format", "trl-kto", "--json");

        Assert.True(exit == 0, stderr);
        var lines = File.ReadAllLines(Path.Combine(_output, "trl-kto.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var counted = ReportFixture.Records.Where(r => r.Verdict != Verdict.InfraError).ToList();
        Assert.Equal(counted.Sum(r => r.Rounds), lines.Count);
        Assert.Equal(lines.Count, JsonDocument.Parse(stdout).RootElement.GetProperty("count").GetInt32());
        foreach (var line in lines)
        {
            // TRL's conversational unpaired preference format: prompt (messages ending on the user's turn), completion (one
            // assistant turn), label (a bool).
            Assert.Equal(["prompt", "completion", "label"], line.EnumerateObject().Select(p => p.Name));
            var prompt = line.GetProperty("prompt").EnumerateArray().ToList();
            Assert.Equal("system", prompt[0].GetProperty("role").GetString());
            Assert.Equal(prompt.Skip(1).Select((_, i) => i % 2 == 0 ? "user" : "assistant"), prompt.Skip(1).Select(m => m.GetProperty("role").GetString()));
            Assert.Equal("user", prompt[^1].GetProperty("role").GetString());
            Assert.All(prompt, m => Assert.Equal(["role", "content"], m.EnumerateObject().Select(p => p.Name)));
            Assert.Equal("assistant", Assert.Single(line.GetProperty("completion").EnumerateArray()).GetProperty("role").GetString());
            Assert.Contains(line.GetProperty("label").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        }

        Assert.Equal(counted.Count(r => r.Verdict == Verdict.Correct), lines.Count(l => l.GetProperty("label").GetBoolean()));
        // heat2d's mutant: three experiments, one repaired in its third round (two failed answers, each after what it had
        // been told so far, then the port), two that failed at once.
        var repaired = lines.Where(l => l.GetProperty("completion")[0].GetProperty("content").GetString()!.EndsWith(" of mutant", StringComparison.Ordinal)
            && l.GetProperty("prompt")[1].GetProperty("content").GetString()!.Contains("heat2d.c", StringComparison.Ordinal)).ToList();
        Assert.Equal([2, 2, 2, 4, 6], repaired.Select(l => l.GetProperty("prompt").GetArrayLength()).Order());
        var last = repaired.Single(l => l.GetProperty("prompt").GetArrayLength() == 6);
        Assert.True(last.GetProperty("label").GetBoolean());
        Assert.Equal("answer 2 of mutant", last.GetProperty("completion")[0].GetProperty("content").GetString());
        Assert.Equal("answer 1 of mutant", last.GetProperty("prompt")[4].GetProperty("content").GetString());
        Assert.False(repaired.Single(l => l.GetProperty("prompt").GetArrayLength() == 4).GetProperty("label").GetBoolean());
    }

    [Fact]
    public async Task ExportTrajectories_OneRepairTrajectoryPerExperimentWithItsVerdictsSpeedupAndReward()
    {
        var (exit, _, stderr) = await CommandLineTests.KernelsmithAsync("export", fixture.Folder, "--dataset", _output, "--format", "trajectories");

        Assert.True(exit == 0, stderr);
        var lines = File.ReadAllLines(Path.Combine(_output, "trajectories.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var counted = ReportFixture.Records.Where(r => r.Verdict != Verdict.InfraError).OrderBy(r => r.Experiment, StringComparer.Ordinal).ToList();
        Assert.Equal(counted.Select(r => r.Experiment), lines.Select(l => l.GetProperty("id").GetString()));
        string[] fields = ["id", "kernel", "target", "hardware", "model", "simulated", "messages", "round_verdicts", "verdict", "speedup", "speedup_ci", "reward"];
        foreach (var (line, record) in lines.Zip(counted))
        {
            Assert.Equal(fields, line.EnumerateObject().Select(p => p.Name));
            var messages = line.GetProperty("messages").EnumerateArray().ToList();
            Assert.Equal(["system", .. Enumerable.Range(0, record.Rounds).SelectMany(_ => new[] { "user", "assistant" })], messages.Select(m => m.GetProperty("role").GetString()));
            var verdicts = line.GetProperty("round_verdicts").EnumerateArray().Select(v => v.GetString()).ToList();
            Assert.Equal(record.Rounds, verdicts.Count);
            Assert.Equal(record.Verdict.ToWireName(), verdicts[^1]);
            Assert.Equal(record.Verdict.ToWireName(), line.GetProperty("verdict").GetString());
            // The reward is the final speedup of a correct port, and 0 for anything else (a sequential program included).
            Assert.Equal(record.Verdict == Verdict.Correct ? record.Speedup!.Value : 0, line.GetProperty("reward").GetDouble(), 9);
        }

        var repaired = lines.Single(l => l.GetProperty("id").GetString() == "sweep-1/heat2d/openmp/mutant/plain/0");
        Assert.Equal(["build_error", "build_error", "correct"], repaired.GetProperty("round_verdicts").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("Your program failed verification.", repaired.GetProperty("messages")[3].GetProperty("content").GetString());
        Assert.Equal(2.4, repaired.GetProperty("reward").GetDouble(), 9);
        var sequential = lines.Single(l => l.GetProperty("verdict").GetString() == "not_parallel");
        Assert.Equal(0, sequential.GetProperty("reward").GetDouble());
        Assert.Equal(JsonValueKind.Null, sequential.GetProperty("speedup").ValueKind);
    }

    [Fact]
    public async Task Export_UnknownFormat_IsAUsageErrorNamingTheChoices()
    {
        var (exit, _, stderr) = await CommandLineTests.KernelsmithAsync("export", fixture.Folder, "--dataset", _output, "--format", "alpaca");

        Assert.Equal(2, exit);
        Assert.Contains("alpaca", stderr, StringComparison.Ordinal);
        Assert.Contains("openai-chat", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);
}
