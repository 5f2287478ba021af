using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Results.Tables;

/// <summary>
/// The columns every table of experiments takes from the record the same way: what the experiment was, how it ended,
/// its speedup and tokens, and its provenance. Each row type declares them where they stand among its own columns.
/// </summary>
public interface IRecordColumns
{
    string Experiment { get; set; }
    string Sweep { get; set; }
    string Kernel { get; set; }
    string Technology { get; set; }
    string Prompt { get; set; }
    int Sample { get; set; }
    string Verdict { get; set; }
    bool? OutputCorrect { get; set; }
    bool? Parallel { get; set; }
    string Reason { get; set; }
    int Rounds { get; set; }
    double? SequentialSeconds { get; set; }
    double? Speedup { get; set; }
    double? SpeedupLow { get; set; }
    double? SpeedupHigh { get; set; }
    int? Pairs { get; set; }
    bool Noisy { get; set; }
    bool Superlinear { get; set; }
    double? ExpertSpeedup { get; set; }
    long TokensInput { get; set; }
    long TokensOutput { get; set; }
    double? CostUsd { get; set; }
    string TraceId { get; set; }
    string Attempts { get; set; }
    string Provider { get; set; }
    bool Simulated { get; set; }
    string Input { get; set; }
    string Agent { get; set; }
    string Toolchain { get; set; }
    string Hardware { get; set; }
    string PromptHash { get; set; }
    string KernelHash { get; set; }
    string? ServedModel { get; set; }
    string? SystemFingerprint { get; set; }
    string? KernelsmithVersion { get; set; }
    string? SpecHash { get; set; }
    string? Compiler { get; set; }
    string? Mpi { get; set; }
}

/// <summary>The one mapping of <see cref="IRecordColumns"/> from a record, for <see cref="ResultRow"/> and <see cref="ExperimentRow"/> alike.</summary>
public static class RecordColumns
{
    /// <summary>Sets <paramref name="row"/>'s record columns from <paramref name="r"/> and returns it.</summary>
    public static T Fill<T>(T row, ExperimentRecord r)
        where T : IRecordColumns
    {
        row.Experiment = r.Experiment;
        row.Sweep = r.Sweep;
        row.Kernel = r.Kernel;
        row.Technology = r.Technology;
        row.Prompt = r.Prompt;
        row.Sample = r.Sample;
        row.Verdict = r.Verdict.ToWireName();
        row.OutputCorrect = r.OutputCorrect;
        row.Parallel = r.Parallel;
        row.Reason = r.Reason;
        row.Rounds = r.Rounds;
        row.SequentialSeconds = r.SequentialSeconds;
        row.Speedup = r.Speedup;
        row.SpeedupLow = r.SpeedupCi?[0];
        row.SpeedupHigh = r.SpeedupCi?[1];
        row.Pairs = r.Pairs;
        row.Noisy = r.Noisy;
        row.Superlinear = r.Superlinear;
        row.ExpertSpeedup = r.ExpertSpeedup;
        row.TokensInput = r.Tokens.Input;
        row.TokensOutput = r.Tokens.Output;
        row.CostUsd = r.CostUsd;
        row.TraceId = r.TraceId;
        row.Attempts = ResultsDirectory.AttemptsFolder(r);
        var provenance = r.Provenance;
        row.Provider = provenance.Provider;
        row.Simulated = provenance.Simulated;
        row.Input = provenance.Input;
        row.Agent = provenance.Agent;
        row.Toolchain = provenance.Toolchain;
        row.Hardware = provenance.Hardware;
        row.PromptHash = provenance.PromptHash;
        row.KernelHash = provenance.KernelHash;
        row.ServedModel = provenance.ServedModel;
        row.SystemFingerprint = provenance.SystemFingerprint;
        row.KernelsmithVersion = provenance.KernelsmithVersion;
        row.SpecHash = provenance.SpecHash;
        row.Compiler = ToolchainColumns.Compiler(provenance.Toolchain);
        row.Mpi = ToolchainColumns.Mpi(provenance.Toolchain);
        return row;
    }
}
