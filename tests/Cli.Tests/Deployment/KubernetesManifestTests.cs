using System.Text.RegularExpressions;
using k8s.Models;

namespace Kernelsmith.Cli.Tests.Deployment;

/// <summary>
/// deploy/k8s as a cluster would take it: each overlay renders, every object is a valid Kubernetes object, and every
/// container is sized, probed and given its secrets only by reference. No cluster needed: kubectl kustomize runs offline.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    public static TheoryData<string> Overlays => new() { "dev", "pools" };

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Overlay_Renders_EveryObjectStrictlyValid(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);

        var kinds = manifests.Objects.Select(o => o.GetType().Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "V1StatefulSet", "V1Deployment", "V1Service", "V1PodDisruptionBudget", "V1NetworkPolicy", "V1Role", "V1RoleBinding", "V1ServiceAccount", "V1ConfigMap", "V1Namespace" }, kinds);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EveryContainer_HasRequestsLimitsAndProbes(string overlay)
    {
        var problems = new List<string>();
        foreach (var (owner, container) in RenderedManifests.Render(overlay).Containers)
        {
            foreach (var resource in new[] { "cpu", "memory" })
            {
                if (container.Resources?.Requests?.ContainsKey(resource) != true || container.Resources?.Limits?.ContainsKey(resource) != true)
                {
                    problems.Add($"{owner}: no {resource} request and limit");
                }
            }

            if (container.ReadinessProbe is null || container.LivenessProbe is null)
            {
                problems.Add($"{owner}: no readiness and liveness probes");
            }

            // A probe naming a port the container does not declare never succeeds; kubectl cannot tell offline.
            var declared = (container.Ports ?? []).Select(p => p.Name).Where(n => n is not null).ToHashSet();
            foreach (var probe in new[] { container.ReadinessProbe, container.LivenessProbe, container.StartupProbe })
            {
                var port = probe?.HttpGet?.Port.Value ?? probe?.TcpSocket?.Port.Value;
                if (port is not null && !int.TryParse(port, out _) && !declared.Contains(port))
                {
                    problems.Add($"{owner}: a probe names port '{port}', which the container does not declare");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Secrets_AreOnlyReferenced_NeverInline(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);
        var problems = new List<string>();
        problems.AddRange(manifests.Objects.OfType<V1Secret>().Select(s => $"Secret/{s.Metadata.Name} is shipped with its value"));
        foreach (var (owner, container) in manifests.Containers)
        {
            problems.AddRange((container.Env ?? []).Where(e => SecretName().IsMatch(e.Name) && e.Value is not null)
                .Select(e => $"{owner}: {e.Name} carries a value inline"));
        }

        foreach (var configMap in manifests.Objects.OfType<V1ConfigMap>())
        {
            problems.AddRange((configMap.Data ?? new Dictionary<string, string>())
                .SelectMany(entry => entry.Value.Split('\n').Select(line => (entry.Key, Line: line, Secret: SecretSetting().IsMatch(line)))
                    .Prepend((entry.Key, Line: entry.Key, Secret: SecretName().IsMatch(entry.Key))))
                .Where(item => item.Secret)
                .Select(item => $"ConfigMap/{configMap.Metadata.Name} ({item.Key}) holds a secret: {item.Line}"));
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        // The secrets the README creates are what the pods mount.
        var secretVolumes = manifests.PodTemplates.SelectMany(t => t.Template.Spec.Volumes ?? []).Where(v => v.Secret is not null).Select(v => v.Secret.SecretName).ToHashSet();
        Assert.Contains("kernelsmith-cluster-token", secretVolumes);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void SiloPods_CarryTheOrleansLabelsOfTheirConfiguredCluster(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);
        var environment = manifests.ConfigMap("kernelsmith-env").Data;
        var labels = manifests.Deployment("silo").Spec.Template.Metadata.Labels;

        // Orleans' Kubernetes hosting finds the silos of a cluster, and deletes dead ones, by these labels.
        Assert.Equal("true", environment["Silo__Kubernetes"]);
        Assert.Equal(environment["Silo__ServiceId"], labels["orleans/serviceId"]);
        Assert.Equal(environment["Silo__ClusterId"], labels["orleans/clusterId"]);
        Assert.Contains(manifests.Objects.OfType<V1Role>().Single(r => r.Metadata.Name == "silo").Rules, rule => rule.Resources.Contains("pods") && rule.Verbs.Contains("delete"));
    }

    [Fact]
    public void PoolsOverlay_HasOneAgentDeploymentPerPool_EachAdvertisingItsPool()
    {
        var manifests = RenderedManifests.Render("pools");
        var agents = manifests.Objects.OfType<V1Deployment>().Where(d => d.Spec.Template.Metadata.Labels["app.kubernetes.io/name"] == "agent").ToList();

        var pools = agents.ToDictionary(a => a.Spec.Template.Metadata.Labels["kernelsmith/pool"], a => a);
        Assert.Equal(["gpu", "mpi", "multicore"], pools.Keys.Order());
        foreach (var (pool, agent) in pools)
        {
            Assert.Equal(pool, agent.Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == "Agent__Pool").Value);
            Assert.Equal(pool, agent.Spec.Selector.MatchLabels["kernelsmith/pool"]);
        }

        var gpu = pools["gpu"].Spec.Template.Spec;
        Assert.Equal("1", gpu.Containers[0].Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.NotEmpty(gpu.NodeSelector);
        Assert.Contains(gpu.Tolerations, t => t.Key == "nvidia.com/gpu");
        Assert.Equal("mpi", pools["mpi"].Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == "Agent__Technologies__0").Value);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Agents_GetTheSandboxTheyNeed_AndNoMore(string overlay)
    {
        foreach (var agent in RenderedManifests.Render(overlay).Objects.OfType<V1Deployment>().Where(d => d.Metadata.Name.StartsWith("agent-", StringComparison.Ordinal)))
        {
            var pod = agent.Spec.Template.Spec;
            var container = pod.Containers[0].SecurityContext;
            Assert.True(pod.SecurityContext.RunAsNonRoot, $"{agent.Metadata.Name} runs as root");
            Assert.NotEqual(true, container.Privileged);
            Assert.False(container.AllowPrivilegeEscalation);
            Assert.Equal(["ALL"], container.Capabilities.Drop);
            Assert.Null(container.Capabilities.Add);
            // bubblewrap's namespaces and its own /proc: the rest of what the comment in agent.yaml explains.
            Assert.False(pod.HostUsers);
            Assert.Equal("Unmasked", container.ProcMount);
        }
    }

    [GeneratedRegex("(TOKEN|API_?KEY|PASSWORD|SECRET)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    /// <summary>A setting that holds a secret's value (Cluster__Token=…, an API key), not one that names where it is.</summary>
    [GeneratedRegex(@"(Token|ApiKey|API_KEY|Password|Secret)""?\s*[=:]\s*\S", RegexOptions.IgnoreCase)]
    private static partial Regex SecretSetting();
}
