using Kernelsmith.Grains.Experiments.Stages;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kernelsmith.Grains.Experiments;

public static class ExperimentServiceCollectionExtensions
{
    /// <summary>
    /// The experiment's steps, its stages and the ports they use: jobs go to agents through <see cref="JobDispatcher"/>
    /// unless an <see cref="IJobRunner"/> is registered already (a test's fake), and timings are taken by
    /// <see cref="InterleavedTiming"/> unless another <see cref="IConfigurationTiming"/> is. The host adds the model
    /// providers and the response cache that <see cref="ModelGateway"/> needs.
    /// </summary>
    public static IServiceCollection AddExperiments(this IServiceCollection services)
    {
        services.TryAddSingleton<AgentDirectory>();
        services.TryAddSingleton<JobDispatcher>();
        services.TryAddSingleton<IJobRunner>(sp => sp.GetRequiredService<JobDispatcher>());
        services.TryAddSingleton<IConfigurationTiming, InterleavedTiming>();
        services.TryAddSingleton<ModelGateway>();
        services.TryAddSingleton<AttemptStore>();
        services.AddSingleton<IStage, GenerateStage>();
        services.AddSingleton<IStage, ExtractStage>();
        services.AddSingleton<IStage, BuildStage>();
        services.AddSingleton<IStage, RunStage>();
        services.AddSingleton<IStage, VerifyStage>();
        services.AddSingleton<IStage, AmplifyStage>();
        services.AddSingleton<IStage, SanitizeStage>();
        services.AddSingleton<IStage, RecordStage>();
        services.AddSingleton<ExperimentSteps>();
        return services;
    }
}
