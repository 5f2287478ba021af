using System.Text.Json;
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

            // Turns alternate, user first, and the conversation ends on the correct answer, which is trained on.
            Assert.Equal(messages.Select((_, i) => i % 2 == 0 ? "user" : "assistant"), messages.Select(m => m.GetProperty("role").GetString()));
            Assert.False(messages[^1].TryGetProperty("weight", out _));
        }

        // The mutant repaired after three rounds keeps its whole conversation; the failed answers are not learnt from.
        var repaired = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("messages").EnumerateArray().ToList()).Single(m => m.Count == 6);
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
            var prompt = Assert.Single(pair.GetProperty("prompt").EnumerateArray());
            Assert.Equal("user", prompt.GetProperty("role").GetString());
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
    public async Task Export_UnknownFormat_IsAUsageErrorNamingTheChoices()
    {
        var (exit, _, stderr) = await CommandLineTests.KernelsmithAsync("export", fixture.Folder, "--dataset", _output, "--format", "alpaca");

        Assert.Equal(2, exit);
        Assert.Contains("alpaca", stderr, StringComparison.Ordinal);
        Assert.Contains("openai-chat", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);
}
