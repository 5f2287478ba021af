using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Tests.Experiments;
using Microsoft.Extensions.DependencyInjection;

namespace Kernelsmith.Grains.Tests.Scheduling;

/// <summary>
/// A silo's agent directory on an in-process cluster: what the registry learns reaches it without anyone asking, so
/// choosing an agent for a job reads nothing remote.
/// </summary>
[Collection(ExperimentClusterCollection.Name)]
public sealed class AgentDirectoryTests(ExperimentCluster fixture)
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Directory_AgentJoinsThenIsDropped_ToldOfBothWithoutReadingTheRegistryAgain()
    {
        var directory = fixture.PrimaryServices.GetRequiredService<AgentDirectory>();
        var registry = fixture.Grains.GetGrain<IAgentRegistryGrain>(0);
        var agent = FakeAgent.Agent with { AgentId = $"joining-{Guid.NewGuid():n}"[..20] };
        // Subscribed now: for the next 20 s, a read is the silo's own copy.
        Assert.DoesNotContain(await directory.LiveAsync(refresh: true), a => a.AgentId == agent.AgentId);

        await registry.RegisterAsync(agent);

        Assert.True(await EventuallyAsync(directory, live => live.Any(a => a.AgentId == agent.AgentId)), "the directory was not told of the new agent");
        await registry.ReportUnreachableAsync(agent.AgentId);
        Assert.True(await EventuallyAsync(directory, live => live.All(a => a.AgentId != agent.AgentId)), "the directory was not told the agent was dropped");
    }

    /// <summary>Reads the directory (never with refresh) until <paramref name="condition"/> holds, waiting for its changes.</summary>
    private static async Task<bool> EventuallyAsync(AgentDirectory directory, Func<IReadOnlyList<AgentInfo>, bool> condition)
    {
        var deadline = DateTime.UtcNow + s_patience;
        while (!condition(await directory.LiveAsync()))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await directory.ChangedAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        }

        return true;
    }
}
