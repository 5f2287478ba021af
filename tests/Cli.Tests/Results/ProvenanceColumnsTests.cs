using System.Diagnostics;
using System.Text.RegularExpressions;
using Kernelsmith.Cli.Commands;
using Kernelsmith.Cli.Tests.Llm;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;
using Kernelsmith.Results.Tables;

namespace Kernelsmith.Cli.Tests.Results;

/// <summary>
/// Issue 18, item 5: provenance a reviewer can cite. What the endpoint says it served (its response's <c>model</c> and
/// <c>system_fingerprint</c>), the Kernelsmith version with its commit, and the spec hash reach the record, results.csv,
/// results.parquet, the experiments table and the report, streamed or not; <c>kernelsmith --version</c> names the commit.
/// </summary>
public sealed partial class ProvenanceColumnsTests
{
    private const string Fingerprint = "fp_kernelsmith_42";

    [Fact]
    public async Task Run_OpenAiEndpoint_ServedModelFingerprintVersionAndSpecHashReachEveryTable()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var expert = await File.ReadAllTextAsync(Path.Combine(Repository.Kernels, "gemm", "solutions", "openmp", "gemm.c"));
        server.DefaultAnswer = _ => $"```c\n{expert}\n```";
        // As OpenAI does: asked for an alias, the response names the dated snapshot that answered.
        server.ServedAs = asked => $"{asked}-2026-01-15";
        server.SystemFingerprint = Fingerprint;
        var work = Directory.CreateTempSubdirectory("kernelsmith-provenance-").FullName;
        var spec = Path.Combine(work, "sweep.yaml");
        await File.WriteAllTextAsync(spec, $$"""
            name: provenance
            kernels: [gemm]
            technologies: [openmp]
            models:
              - { id: plain, provider: openai, endpoint: "{{server.Endpoint}}", model: fake-gpt, temperature: 0.3 }
              - { id: streamed, provider: openai, endpoint: "{{server.Endpoint}}", model: fake-gpt-mini, stream: true }
            cache: false
            repair: { rounds: 0 }
            verify: { amplify: false, sanitizers: [] }
            run: { input: tiny, threads: [1], repetitions: 1, max_pairs: 1, warmups: 0, expert: false, timeout: 20 }
            """);
        var output = Path.Combine(work, "out");

        await RunCommand.RunAsync(new FileInfo(spec), new DirectoryInfo(output), [Repository.Kernels], CancellationToken.None);

        var records = new ResultsDirectory(output).ReadRecords().OrderBy(r => r.Experiment, StringComparer.Ordinal).ToList();
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(Verdict.Correct, r.Verdict));
        Assert.Equal(["fake-gpt-2026-01-15", "fake-gpt-mini-2026-01-15"], records.Select(r => r.Provenance.ServedModel));
        Assert.All(records, r => Assert.Equal(Fingerprint, r.Provenance.SystemFingerprint));
        Assert.All(records, r => Assert.Equal(KernelsmithVersion.Current, r.Provenance.KernelsmithVersion));
        Assert.Matches(HexHash(), records[0].Provenance.SpecHash!);
        Assert.Equal(records[0].Provenance.SpecHash, records[1].Provenance.SpecHash);

        var tables = new[]
        {
            Path.Combine(output, ResultsDirectory.Csv), Path.Combine(output, ResultsDirectory.Parquet),
            Path.Combine(output, TidyTables.Folder, "experiments.csv"), Path.Combine(output, TidyTables.Folder, "experiments.parquet"),
        };
        foreach (var table in tables)
        {
            var rows = DuckDb.Query($"SELECT served_model, system_fingerprint, kernelsmith_version, spec_hash, compiler, mpi FROM '{table}' ORDER BY experiment");
            Assert.True(rows.Select(r => r["served_model"]).SequenceEqual(["fake-gpt-2026-01-15", "fake-gpt-mini-2026-01-15"]), table);
            Assert.All(rows, r => Assert.Equal(
                (Fingerprint, KernelsmithVersion.Current, records[0].Provenance.SpecHash, null),
                ((string?)r["system_fingerprint"], (string?)r["kernelsmith_version"], (string?)r["spec_hash"], r["mpi"])));
            Assert.All(rows, r => Assert.StartsWith("gcc", (string)r["compiler"]!, StringComparison.Ordinal));
        }

        // The system turn the model was given is kept with the first round, where the trainer formats read it.
        var system = await File.ReadAllTextAsync(Path.Combine(output, ResultsDirectory.AttemptsFolder(records[0]), "round-0", ResultsDirectory.SystemFile));
        Assert.StartsWith("You are an expert in high-performance computing", system, StringComparison.Ordinal);
        Assert.Equal("system", server.Requests.First().Body["messages"]![0]!["role"]!.GetValue<string>());

        var temperatures = DuckDb.Query($"SELECT model_id, temperature FROM '{tables[3]}' ORDER BY model_id");
        Assert.Equal([0.3, null], temperatures.Select(r => r["temperature"]));
        var report = await File.ReadAllTextAsync(Path.Combine(output, "report.md"));
        Assert.Contains($"fake-gpt-2026-01-15 ({Fingerprint})", report, StringComparison.Ordinal);
        Assert.Contains($"Run by Kernelsmith {KernelsmithVersion.Current}, spec hash {records[0].Provenance.SpecHash}", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_PrintsTheVersionWithTheCommitItWasBuiltFrom()
    {
        var (exit, stdout, _) = await CommandLineTests.KernelsmithAsync("--version");

        Assert.Equal(0, exit);
        Assert.Equal(KernelsmithVersion.Current, stdout.Trim());
        var commit = Assert.IsType<string>(KernelsmithVersion.Commit);
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\+[0-9a-f]{40}$", stdout.Trim());
        if (Directory.Exists(Path.Combine(Repository.Root, ".git")) || File.Exists(Path.Combine(Repository.Root, ".git")))
        {
            // A commit of this repository, as a reviewer would look it up.
            using var git = Process.Start(new ProcessStartInfo("git", ["-C", Repository.Root, "cat-file", "-t", commit]) { RedirectStandardOutput = true })!;
            Assert.Equal("commit", (await git.StandardOutput.ReadToEndAsync()).Trim());
        }
    }

    [Theory]
    [InlineData("gcc: gcc (Debian 12.2.0-14) 12.2.0", "gcc (Debian 12.2.0-14) 12.2.0", null)]
    [InlineData("mpicc: Open MPI 4.1.4", "mpicc", "Open MPI 4.1.4")]
    [InlineData("mpicc.mpich: MPICH 4.0.2", "mpicc.mpich", "MPICH 4.0.2")]
    [InlineData("nvcc: Cuda compilation tools, release 11.8, V11.8.89", "nvcc Cuda compilation tools, release 11.8, V11.8.89", null)]
    [InlineData("gcc", "gcc", null)]
    [InlineData("", null, null)]
    public void ToolchainColumns_CompilerAndMpiFromTheRecordedToolchain(string toolchain, string? compiler, string? mpi)
    {
        Assert.Equal(compiler, ToolchainColumns.Compiler(toolchain));
        Assert.Equal(mpi, ToolchainColumns.Mpi(toolchain));
    }

    [GeneratedRegex("^[0-9a-f]{16}$")]
    private static partial Regex HexHash();
}
