using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Sweeps;

namespace Kernelsmith.Grains.Tests.Sweeps;

/// <summary>Thread and rank counts no live agent can start are what a sweep waits for, never a crash charged to a model.</summary>
public sealed class SweepAdmissionTests
{
    [Fact]
    public void Unhonoured_ThreadCountAboveEveryAgentsProcessLimit_IsNamedWithTheLimit()
    {
        var spec = Spec(threads: [1, 2, 100_000], ranks: [1]);

        var lines = SweepAdmission.Unhonoured(spec, [Technologies.OpenMp], [Agent("a", 512, Technologies.OpenMp), Agent("b", 4096, Technologies.OpenMp)]);

        Assert.Equal(["run.threads: 100000 exceed what any agent offering openmp lets a job start (at most 4096 processes and threads)"], lines);
    }

    [Fact]
    public void Unhonoured_RankCountOnlyAnMpiAgentInTheWrongPoolCouldStart_IsNamed()
    {
        var spec = Spec(threads: [1], ranks: [2, 1000]) with { Pools = new Dictionary<string, IReadOnlyList<string>> { [Technologies.Mpi] = ["small"] } };

        var lines = SweepAdmission.Unhonoured(spec, [Technologies.Mpi], [Agent("big", 4096, Technologies.Mpi, pool: "large"), Agent("tiny", 512, Technologies.Mpi, pool: "small")]);

        Assert.Equal(["run.ranks: 1000 exceed what any agent offering mpi lets a job start (at most 512 processes and threads)"], lines);
    }

    [Fact]
    public void Unhonoured_CountsSomeAgentCanStart_OrAgentsThatDoNotReportALimit_AreNotNamed()
    {
        var spec = Spec(threads: [1, 64], ranks: [1, 4]);

        Assert.Empty(SweepAdmission.Unhonoured(spec, [Technologies.OpenMp, Technologies.Mpi], [Agent("a", 512, Technologies.OpenMp, Technologies.Mpi)]));
        Assert.Empty(SweepAdmission.Unhonoured(Spec(threads: [100_000], ranks: [1]), [Technologies.OpenMp], [Agent("old", 0, Technologies.OpenMp)]));
    }

    private static SweepSpec Spec(IReadOnlyList<int> threads, IReadOnlyList<int> ranks) => new(
        "admission", ["gemm"], [Technologies.OpenMp, Technologies.Mpi], [new ModelSpec("expert", ModelProviders.Sim)], ["plain"], 1,
        new RepairSettings(0), new RunSettings("tiny", threads, ranks, 1, 30, 60));

    private static AgentInfo Agent(string id, int maxProcesses, params string[] technologies) => Agent(id, maxProcesses, technologies[0], pool: "default", more: technologies[1..]);

    private static AgentInfo Agent(string id, int maxProcesses, string technology, string pool, params string[] more) =>
        new(id, pool, $"http://{id}:5080", [technology, .. more], 2, "cpu", 1L << 30, new Dictionary<string, string>(), DateTimeOffset.UnixEpoch) { MaxProcesses = maxProcesses };
}
