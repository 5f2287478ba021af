using System.Diagnostics;
using Kernelsmith.Cli.Commands;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Tests.Llm;

/// <summary>A whole embedded sweep through the <c>openai</c> provider, against a local OpenAI-compatible server.</summary>
public sealed class OpenAiSweepTests
{
    private const string Secret = "sk-kernelsmith-test-do-not-leak-4242";
    private const string KeyVariable = "KERNELSMITH_TEST_OPENAI_KEY";

    [Fact]
    public async Task Run_OpenAiModel_IsVerifiedCachedAndNeverLeaksTheKey()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var expert = await File.ReadAllTextAsync(Path.Combine(Repository.Kernels, "gemm", "solutions", "openmp", "gemm.c"));
        server.DefaultAnswer = _ => $"Sure! Here is the OpenMP version.\n\n```c\n{expert}\n```\n\nCompile with -fopenmp.";
        var work = Directory.CreateTempSubdirectory("kernelsmith-openai-").FullName;
        Environment.SetEnvironmentVariable(KeyVariable, Secret);
        // The operator's side: the key, by name, bound to the one endpoint it may go to.
        var config = new FileInfo(Path.Combine(work, "config.json"));
        await File.WriteAllTextAsync(config.FullName, $$"""{ "Credentials": { "fake": { "KeyEnv": "{{KeyVariable}}", "Endpoints": [ "{{server.Endpoint}}" ] } } }""");
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", Path.Combine(work, "cache"));
        var spec = Path.Combine(work, "sweep.yaml");
        await File.WriteAllTextAsync(spec, $"""
            name: openai-sweep
            kernels: [gemm]
            technologies: [openmp]
            models:
              - id: fake-gpt
                provider: openai
                endpoint: {server.Endpoint}
                model: fake-gpt-4
                credential: fake
                temperature: 0.2
                stream: true
                concurrency: 2
                price: {"{ input: 2.5, output: 10 }"}
            run:
              input: tiny
              threads: [1, 2]
              repetitions: 1
              max_pairs: 1
              warmups: 0
              expert: false
              timeout: 20
            """);
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);

        await RunCommand.RunAsync(new FileInfo(spec), new DirectoryInfo(Path.Combine(work, "first")), [Repository.Kernels], CancellationToken.None, config: config);
        await RunCommand.RunAsync(new FileInfo(spec), new DirectoryInfo(Path.Combine(work, "second")), [Repository.Kernels], CancellationToken.None, config: config);

        var first = Assert.Single(new ResultsDirectory(Path.Combine(work, "first")).ReadRecords());
        var second = Assert.Single(new ResultsDirectory(Path.Combine(work, "second")).ReadRecords());
        Assert.Equal(Verdict.Correct, first.Verdict);
        Assert.False(first.Provenance.Simulated);
        Assert.Equal("fake-gpt", first.Model);
        Assert.True(first.Tokens.Input > 0 && first.Tokens.Output > 0);
        Assert.True(first.CostUsd > 0);
        Assert.Equal("0.2", first.Provenance.ModelParameters["temperature"]);
        // The second run replays the cached answer: no new request, same verdict.
        Assert.Single(server.Requests);
        Assert.Equal(Verdict.Correct, second.Verdict);
        Assert.Equal($"Bearer {Secret}", server.Requests.Single().Authorization);

        foreach (var file in Directory.EnumerateFiles(work, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(Secret, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }

        lock (spans)
        {
            Assert.Contains(spans, s => s.OperationName == "generate");
            Assert.All(spans.SelectMany(s => s.TagObjects), tag => Assert.DoesNotContain(Secret, tag.Value?.ToString() ?? "", StringComparison.Ordinal));
        }
    }
}

/// <summary>Budgets stop a sweep cleanly; the rest is recorded as infra_error, never against the model.</summary>
public sealed class BudgetTests
{
    [Fact]
    public async Task Run_TokenBudgetReached_LaterExperimentsAreInfraErrorsAndNoMoreCallsAreMade()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var expert = await File.ReadAllTextAsync(Path.Combine(Repository.Kernels, "gemm", "solutions", "openmp", "gemm.c"));
        server.DefaultAnswer = _ => $"```c\n{expert}\n```";
        var work = Directory.CreateTempSubdirectory("kernelsmith-budget-").FullName;
        var spec = Path.Combine(work, "sweep.yaml");
        await File.WriteAllTextAsync(spec, $"""
            name: budget
            kernels: [gemm]
            technologies: [openmp]
            models:
              - {"{"} id: gpt, provider: openai, endpoint: "{server.Endpoint}", model: m, concurrency: 1 {"}"}
            samples: 3
            cache: false
            budget:
              max_tokens: 10
            run: {"{"} input: tiny, threads: [1], repetitions: 1, max_pairs: 1, warmups: 0, expert: false {"}"}
            """);

        await RunCommand.RunAsync(new FileInfo(spec), new DirectoryInfo(Path.Combine(work, "out")), [Repository.Kernels], CancellationToken.None);

        var records = new ResultsDirectory(Path.Combine(work, "out")).ReadRecords();
        Assert.Equal(3, records.Count);
        Assert.Single(server.Requests);
        Assert.Single(records, r => r.Verdict == Verdict.Correct);
        Assert.Equal(2, records.Count(r => r.Verdict == Verdict.InfraError && r.Reason.Contains("budget", StringComparison.Ordinal)));
    }
}
