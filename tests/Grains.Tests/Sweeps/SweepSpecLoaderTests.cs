using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Sweeps;
using Kernelsmith.Grains.Yaml;

namespace Kernelsmith.Grains.Tests.Sweeps;

public sealed class SweepSpecLoaderTests
{
    private const string Valid = """
        name: demo
        kernels: [gemm, heat2d]
        technologies: [openmp]
        models:
          - id: expert
            provider: sim
            behaviour: expert
          - id: gpt
            provider: openai
            endpoint: http://127.0.0.1:9/v1
            model: gpt-4o
            credential: openai
            temperature: 0.2
        samples: 3
        repair:
          rounds: 2
        run:
          input: tiny
          threads: [1, 2, 4]
          repetitions: 5
          timeout: 12.5
        """;

    [Fact]
    public void Parse_ValidSpec_ReadsEveryField()
    {
        var spec = SweepSpecLoader.Parse("demo.yaml", Valid, TestCatalog.Load());

        Assert.Equal("demo", spec.Name);
        Assert.Equal(["gemm", "heat2d"], spec.Kernels);
        Assert.Equal(["openmp"], spec.Technologies);
        Assert.Equal(2, spec.Models.Count);
        Assert.Equal("expert", spec.Models[0].Behaviour);
        Assert.True(spec.Models[0].IsSimulated);
        Assert.Equal(0.2, spec.Models[1].Temperature);
        Assert.False(spec.Models[1].IsSimulated);
        Assert.Equal(3, spec.Samples);
        Assert.Equal(2, spec.Repair.Rounds);
        Assert.Equal([1, 2, 4], spec.Run.Threads);
        Assert.Equal(5, spec.Run.Repetitions);
        Assert.Equal(12.5, spec.Run.TimeoutSeconds);
        Assert.Equal(["plain"], spec.Prompts);
    }

    [Fact]
    public void Parse_MeasurementSettings_ReadOrDefaultToThreePercentAndTheExpert()
    {
        var tuned = SweepSpecLoader.Parse("demo.yaml", Valid.Replace("  repetitions: 5", "  repetitions: 5\n  precision: 0.05\n  max_pairs: 12\n  max_seconds: 30\n  warmups: 2\n  expert: false", StringComparison.Ordinal), TestCatalog.Load());
        var defaults = SweepSpecLoader.Parse("demo.yaml", Valid, TestCatalog.Load());

        Assert.Equal((0.05, 12, 30.0, 2, false), (tuned.Run.Precision, tuned.Run.MaxPairs, tuned.Run.MaxSeconds, tuned.Run.Warmups, tuned.Run.Expert));
        Assert.Equal((0.03, 30, 120.0, 1, true), (defaults.Run.Precision, defaults.Run.MaxPairs, defaults.Run.MaxSeconds, defaults.Run.Warmups, defaults.Run.Expert));
    }

    [Fact]
    public void Parse_MaxActive_BoundsTheWindowOtherwiseLeftToTheDefault()
    {
        var bounded = SweepSpecLoader.Parse("demo.yaml", Valid.Replace("samples: 3", "samples: 3\nmax_active: 500", StringComparison.Ordinal), TestCatalog.Load());
        var unbounded = SweepSpecLoader.Parse("demo.yaml", Valid, TestCatalog.Load());

        Assert.Equal(500, bounded.MaxActive);
        Assert.Null(unbounded.MaxActive);
    }

    [Theory]
    [InlineData("kernels: [gemm, heat2d]", "kernels: [gemm, nosuch]", 2, "kernels", "unknown kernel 'nosuch'")]
    [InlineData("technologies: [openmp]", "technologies: [opencl]", 3, "technologies", "unknown technology 'opencl'")]
    [InlineData("samples: 3", "samples: three", 14, "samples", "expected an integer")]
    [InlineData("  repetitions: 5", "  repetitions: 5\n  colour: blue", 21, "run.colour", "unknown field")]
    [InlineData("    behaviour: expert", "    behaviour: genius", 7, "models[0].behaviour", "unknown sim behaviour 'genius'")]
    [InlineData("    provider: openai", "    provider: skynet", 9, "models[1].provider", "unknown provider 'skynet'")]
    [InlineData("  threads: [1, 2, 4]", "  threads: [1, 0]", 19, "run.threads", "expected integers >= 1")]
    [InlineData("  input: tiny", "  input: huge", 18, "run.input", "has no input set 'huge'")]
    [InlineData("name: demo", "name: demo\nname: again", 2, "(syntax)", "Duplicate key")]
    [InlineData("samples: 3", "samples: 3\nmax_active: 0", 15, "max_active", "expected an integer in [1, 1000000]")]
    [InlineData("kernels: [gemm, heat2d]", "kernels: [gemm, heat2d, gemm]", 2, "kernels", "kernel 'gemm' is listed twice")]
    [InlineData("  threads: [1, 2, 4]", "  threads: [1, 2, 2]", 19, "run.threads", "2 is listed twice")]
    [InlineData("  threads: [1, 2, 4]", "  threads: [1]\n  ranks: [2, 2]", 20, "run.ranks", "2 is listed twice")]
    [InlineData("  repetitions: 5", "  repetitions: 5\n  precision: 0", 21, "run.precision", "expected a number >= 0.001")]
    [InlineData("  repetitions: 5", "  repetitions: 5\n  max_pairs: 0", 21, "run.max_pairs", "expected an integer in [1, 1000]")]
    [InlineData("  - id: gpt", "  - id: openai/gpt-4o", 8, "models[1].id", "may not contain '/' ('openai/gpt-4o'): it is part of every experiment's id and results folder; write it as 'openai-gpt-4o'")]
    public void Parse_InvalidSpec_NamesFileLineAndField(string original, string replacement, int line, string field, string problem)
    {
        var text = Valid.Replace(original, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Valid, text);

        var error = Assert.Throws<InputFileException>(() => SweepSpecLoader.Parse("demo.yaml", text, TestCatalog.Load()));

        Assert.Equal("demo.yaml", error.File);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith($"demo.yaml:{line}: {field}: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    credential: openai", "    apiKeyEnv: OPENAI_API_KEY", "models[1].apiKeyEnv", "no longer reads API keys from the host")]
    [InlineData("    credential: openai", "    apiKeyFile: /etc/kernelsmith/cluster.token", "models[1].apiKeyFile", "no longer reads API keys from the host")]
    [InlineData("    credential: openai", "    credential: stolen", "models[1].credential", "unknown credential 'stolen' (known: openai)")]
    [InlineData("http://127.0.0.1:9/v1", "http://127.0.0.1:9999/v1", "models[1].endpoint", "credential 'openai' is not bound to endpoint http://127.0.0.1:9999/v1")]
    [InlineData("http://127.0.0.1:9/v1", "http://127.0.0.1:9/v1x", "models[1].endpoint", "is not bound to endpoint")]
    [InlineData("http://127.0.0.1:9/v1", "http://user@127.0.0.1:9/v1", "models[1].endpoint", "is not bound to endpoint")]
    public void Parse_CredentialTheOperatorDidNotBindThere_IsRefusedNamingTheField(string original, string replacement, string field, string problem)
    {
        var credentials = new Kernelsmith.Contracts.Security.ModelCredentials();
        credentials.Named["openai"] = new() { Key = "k", Endpoints = ["http://127.0.0.1:9/v1"] };
        var text = Valid.Replace(original, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Valid, text);

        var error = Assert.Throws<InputFileException>(() => SweepSpecLoader.Parse("demo.yaml", text, TestCatalog.Load(), credentials: credentials));

        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal("openai", SweepSpecLoader.Parse("demo.yaml", Valid, TestCatalog.Load(), credentials: credentials).Models[1].Credential);
    }

    [Fact]
    public void Parse_SubmittedSpec_ExpandsOnlyTheSubmittersVariables()
    {
        Environment.SetEnvironmentVariable("KERNELSMITH_TEST_HOST_ONLY", "host-secret");
        var text = Valid.Replace("http://127.0.0.1:9/v1", "http://127.0.0.1:9/${KERNELSMITH_TEST_HOST_ONLY}", StringComparison.Ordinal);

        var error = Assert.Throws<InputFileException>(() => SweepSpecLoader.Parse("demo.yaml", text, TestCatalog.Load(), variables: new Dictionary<string, string>()));
        var given = SweepSpecLoader.Parse("demo.yaml", text, TestCatalog.Load(), variables: new Dictionary<string, string> { ["KERNELSMITH_TEST_HOST_ONLY"] = "v1" });

        Assert.Equal("models[1].endpoint", error.Field);
        Assert.DoesNotContain("host-secret", error.Message, StringComparison.Ordinal);
        Assert.Equal("http://127.0.0.1:9/v1", given.Models[1].Endpoint);
    }

    [Theory]
    [InlineData("", "thread,memory", true)]
    [InlineData("verify:\n  amplify: false\n", "thread,memory", false)]
    [InlineData("verify:\n  sanitizers: []\n", "", true)]
    [InlineData("verify:\n  sanitizers: [thread]\n  amplify: true\n", "thread", true)]
    public void Parse_Verify_EveryCheckIsOnUnlessTurnedOff(string section, string sanitizers, bool amplify)
    {
        var spec = SweepSpecLoader.Parse("demo.yaml", Valid + "\n" + section, TestCatalog.Load());
        var verify = spec.Verify ?? VerifySettings.Default;

        Assert.Equal(sanitizers, string.Join(',', verify.Sanitizers));
        Assert.Equal(amplify, verify.Amplify);
    }

    [Fact]
    public void Parse_MissingModels_IsAnError()
    {
        var text = "name: x\nkernels: [gemm]\ntechnologies: [openmp]\nrun: { threads: [1] }\n";

        var error = Assert.Throws<InputFileException>(() => SweepSpecLoader.Parse("x.yaml", text, TestCatalog.Load()));

        Assert.Equal("models", error.Field);
    }

    [Fact]
    public void Parse_BadYamlSyntax_NamesTheLine()
    {
        var text = "name: x\nkernels: [gemm\ntechnologies: [openmp]\n";

        var error = Assert.Throws<InputFileException>(() => SweepSpecLoader.Parse("x.yaml", text, TestCatalog.Load()));

        Assert.Equal("(syntax)", error.Field);
        Assert.Equal("x.yaml", error.File);
    }

    [Fact]
    public void Load_MissingFile_SaysSo()
    {
        var error = Assert.Throws<InputFileException>(() => SweepSpecLoader.Load("/nonexistent/sweep.yaml", TestCatalog.Load()));

        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_CrossProduct_SkipsUnsupportedTechnologiesAndNamesEachExperiment()
    {
        var spec = SweepSpecLoader.Parse("demo.yaml", Valid, TestCatalog.Load());
        var kernels = TestCatalog.Load().Kernels.ToDictionary(k => k.Id);

        var experiments = SweepExpansion.Expand("s1", spec, kernels);

        Assert.Equal(2 * 1 * 2 * 1 * 3, experiments.Count);
        Assert.Equal(experiments.Count, experiments.Select(e => e.ExperimentId).Distinct().Count());
        Assert.Contains(experiments, e => e.ExperimentId == "s1/heat2d/openmp/gpt/plain/2");
    }

    private static string Replay(string recordedFrom) => $$"""
        name: replayed
        kernels: [gemm]
        technologies: [openmp]
        models:
          - id: chat
            provider: replay
            directory: {{Path.GetTempPath()}}
        {{recordedFrom}}
        run: { input: tiny, threads: [1] }
        """;

    [Fact]
    public void Parse_ReplayRecordedFromARealModel_IsReplayedUnderThatNameNotSimulated()
    {
        var replayed = SweepSpecLoader.Parse("r.yaml", Replay("    recorded_from: { provider: openai, model: gpt-3.5-turbo, date: 2024-03, source: the study's appendix }"), TestCatalog.Load()).Models[0];
        var anonymous = SweepSpecLoader.Parse("r.yaml", Replay(""), TestCatalog.Load()).Models[0];

        Assert.Equal(new RecordedModel("gpt-3.5-turbo", "openai", "2024-03", "the study's appendix"), replayed.RecordedFrom);
        Assert.False(replayed.IsSimulated);
        Assert.True(replayed.IsOffline);
        Assert.Equal("chat (replayed: gpt-3.5-turbo)", replayed.DisplayName);
        Assert.True(anonymous.IsSimulated);
        Assert.Equal("chat (simulated: replay)", anonymous.DisplayName);
    }

    [Theory]
    [InlineData("    recorded_from: { provider: openai }", "models[0].recorded_from.model", "is required")]
    [InlineData("    recorded_from: { model: m, temperature: 1 }", "models[0].recorded_from.temperature", "unknown field")]
    public void Parse_RecordedFromWithoutModelOrWithAnUnknownField_NamesTheField(string recordedFrom, string field, string problem)
    {
        var error = Assert.Throws<InputFileException>(() => SweepSpecLoader.Parse("r.yaml", Replay(recordedFrom), TestCatalog.Load()));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
