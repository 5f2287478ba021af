using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Kernelsmith.Cli.Tests.Deployment;

/// <summary>An overlay of deploy/k8s rendered by <c>kubectl kustomize</c> and read strictly into the Kubernetes API types.</summary>
internal sealed class RenderedManifests
{
    private RenderedManifests(string overlay, IReadOnlyList<object> objects)
    {
        Overlay = overlay;
        Objects = objects;
    }

    public string Overlay { get; }

    public IReadOnlyList<object> Objects { get; }

    public IEnumerable<(string Owner, V1PodTemplateSpec Template)> PodTemplates =>
        Objects.OfType<V1Deployment>().Select(d => ($"Deployment/{d.Metadata.Name}", d.Spec.Template))
            .Concat(Objects.OfType<V1StatefulSet>().Select(s => ($"StatefulSet/{s.Metadata.Name}", s.Spec.Template)));

    public IEnumerable<(string Owner, V1Container Container)> Containers =>
        PodTemplates.SelectMany(t => (t.Template.Spec.InitContainers ?? []).Concat(t.Template.Spec.Containers).Select(c => ($"{t.Owner} container {c.Name}", c)));

    public V1ConfigMap ConfigMap(string generatedName) =>
        Objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name.StartsWith(generatedName + "-", StringComparison.Ordinal));

    public V1Deployment Deployment(string name) => Objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == name);

    /// <summary>
    /// Renders the overlay; an object with a field its API type does not have (a typo, a field at the wrong level) or of a
    /// kind the API does not know fails the read, naming the document.
    /// </summary>
    public static RenderedManifests Render(string overlay)
    {
        var directory = Path.Combine(Repository.Root, "deploy", "k8s", "overlays", overlay);
        var info = new ProcessStartInfo("kubectl", ["kustomize", directory]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var kubectl = Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start");
        var stderr = kubectl.StandardError.ReadToEndAsync();
        var yaml = kubectl.StandardOutput.ReadToEnd();
        kubectl.WaitForExit();
        Assert.True(kubectl.ExitCode == 0, $"kubectl kustomize {directory} failed: {stderr.Result}");

        var documents = yaml.Split("\n---\n");
        var objects = documents.Select((document, i) =>
        {
            try
            {
                return KubernetesYaml.LoadAllFromString(document, strict: true).Single();
            }
            catch (Exception e)
            {
                var head = string.Join(' ', document.Split('\n').Where(line => line.StartsWith("kind:", StringComparison.Ordinal) || line.StartsWith("  name:", StringComparison.Ordinal)));
                throw new InvalidOperationException($"overlay {overlay}, document {i + 1} ({head}) is not a valid Kubernetes object: {e.Message}", e);
            }
        }).ToList();
        return new RenderedManifests(overlay, objects);
    }
}
