using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>One way to run a program: how many threads, how many ranks.</summary>
public readonly record struct Configuration(int Threads, int Ranks)
{
    /// <summary>How feedback and reasons name it: "at 2 thread(s), 1 rank(s)".</summary>
    public string Where => $"at {Threads} thread(s), {Ranks} rank(s)";
}

public static class Configurations
{
    /// <summary>The timed configurations: the spec's rank counts for MPI, its thread counts otherwise, one for CUDA.</summary>
    public static IEnumerable<Configuration> Timed(ExperimentSpec spec, string technology) => technology switch
    {
        Technologies.Mpi => spec.Run.Ranks.Select(r => new Configuration(1, r)),
        Technologies.Cuda => [new Configuration(1, 1)],
        _ => spec.Run.Threads.Select(t => new Configuration(t, 1)),
    };

    /// <summary>The timed configurations plus odd counts that divide few sizes: 3 threads, or 3 and 5 ranks.</summary>
    public static IEnumerable<Configuration> Amplified(ExperimentSpec spec, string technology) => technology switch
    {
        Technologies.Mpi => spec.Run.Ranks.Union([3, 5]).Order().Select(r => new Configuration(1, r)),
        Technologies.Cuda => [new Configuration(1, 1)],
        _ => spec.Run.Threads.Union([3]).Order().Select(t => new Configuration(t, 1)),
    };
}
