using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Agents.Node.Jobs;
using Kernelsmith.Agents.Node.Registration;
using Kernelsmith.Agents.Node.Services;
using Kernelsmith.Contracts.Security;
using Kernelsmith.ServiceDefaults;
using Kernelsmith.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Agents.Node.Hosting;

public static class AgentHostingExtensions
{
    /// <summary>Adds the node agent: its gRPC service, sandbox (local or through Slurm), workspace, core ledger and registration with the silo.</summary>
    public static IHostApplicationBuilder AddNodeAgent(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        builder.Services.AddGrpc().AddServiceOptions<NodeAgentService>(grpc => grpc.Interceptors.Add<ClusterTokenInterceptor>());
        builder.Services.AddSingleton<AgentIdentity>();
        builder.Services.AddSingleton<SlurmLauncher>();
        builder.Services.AddSingleton<Sandbox>();
        // Where programs run is decided once, here: every job asks the same launcher.
        builder.Services.AddSingleton<ILauncher>(sp => sp.GetRequiredService<SlurmLauncher>() is { Enabled: true } slurm
            ? new SlurmJobLauncher(slurm)
            : new LocalLauncher(sp.GetRequiredService<IOptions<AgentOptions>>()));
        builder.Services.AddSingleton<JobRunner>();
        builder.Services.AddSingleton(sp => new Workspace(sp.GetRequiredService<IOptions<AgentOptions>>().Value.WorkRoot));
        builder.Services.AddSingleton(sp => new CoreLedger(
            sp.GetRequiredService<IOptions<AgentOptions>>().Value.Cores is { } list && CpuList.TryParse(list, out var cores) ? cores : CpuList.Allowed()));
        builder.Services.AddSingleton(sp => new GpuLedger(sp.GetRequiredService<AgentIdentity>().Capabilities.Hardware?.Gpus ?? []));
        builder.Services.AddSingleton<AgentRegistrationService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AgentRegistrationService>());
        builder.AddPrometheusScrapeEndpoint();
        builder.Services.AddSingleton<AgentReadinessCheck>();
        builder.Services.AddHealthChecks().AddCheck<AgentReadinessCheck>("agent", tags: [HealthEndpoints.ReadyTag]);
        builder.AddGrpcAndHealthEndpoints();
        return builder;
    }

    public static WebApplication MapNodeAgent(this WebApplication app)
    {
        app.MapGrpcService<NodeAgentService>();
        app.MapKernelsmithHealth();
        return app;
    }
}
