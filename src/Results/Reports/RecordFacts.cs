using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Results.Reports;

/// <summary>What the metrics read off one record; each convention is decided here, once.</summary>
public static class RecordFacts
{
    /// <summary>An infrastructure failure is the system's, never the model's: such records are left out of every metric.</summary>
    public static bool CountsAgainstModel(this ExperimentRecord record) => record.Verdict != Verdict.InfraError;

    /// <summary>The final program compiled: it ran, whatever its output.</summary>
    public static bool Built(this ExperimentRecord record) =>
        record.Verdict is Verdict.Correct or Verdict.NotParallel or Verdict.WrongOutput or Verdict.RuntimeError or Verdict.Timeout;

    /// <summary>Correct and parallel: a program found not parallel has its own verdict and never counts as a parallel success.</summary>
    public static bool Passed(this ExperimentRecord record) => record.Verdict == Verdict.Correct;

    /// <summary>Correct only after feedback: passed in a later round than the first.</summary>
    public static bool Repaired(this ExperimentRecord record) => record.Passed() && record.Rounds > 1;

    /// <summary>The best speedup over the thread/rank counts, 0 when the sample did not pass.</summary>
    public static double BestSpeedup(this ExperimentRecord record) => record.Passed() ? record.Speedup ?? 0 : 0;

    /// <summary>The speedup at one thread/rank count, 0 when the sample did not pass or was not measured there.</summary>
    public static double SpeedupAt(this ExperimentRecord record, int count) =>
        record.Passed() ? record.Runs.FirstOrDefault(m => m.Count(record.Technology) == count)?.Speedup ?? 0 : 0;

    /// <summary>The resource a measurement varies: ranks for MPI, threads otherwise.</summary>
    public static int Count(this RunMeasurement measurement, string technology) =>
        technology == Technologies.Mpi ? measurement.Ranks : measurement.Threads;

    public static string CountName(string technology) => technology == Technologies.Mpi ? "ranks" : "threads";

    /// <summary>The model as every table and legend shows it: a simulated model always says so.</summary>
    public static string ModelLabel(this ExperimentRecord record) =>
        record.Provenance.Simulated && !record.Model.Contains("simulated", StringComparison.Ordinal) ? $"{record.Model} (simulated)" : record.Model;

    /// <summary>The <c>sim expert</c> model, which answers with the catalog's expert solution.</summary>
    public static bool IsSimExpert(this ExperimentRecord record) =>
        record.Provenance.Provider == ModelProviders.Sim
        && record.Provenance.ModelParameters.TryGetValue("behaviour", out var behaviour) && behaviour == "expert";
}
