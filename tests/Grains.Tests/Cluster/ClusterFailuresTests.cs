using System.Text;
using Kernelsmith.Grains.Cluster;
using Orleans.Runtime;
using Orleans.Storage;

namespace Kernelsmith.Grains.Tests.Cluster;

/// <summary>
/// What counts as the cluster's failure, retried until it recovers, and what does not. The grain directory's races are
/// bare <see cref="OrleansException"/>s told apart by their text, which must stay Orleans' own.
/// </summary>
public sealed class ClusterFailuresTests
{
    [Theory]
    [InlineData("Trying to register reference/spmv@1f2e/tiny/agent-a on invalid silo: S127.0.0.1:40111:155480115. Known status: Dead")]
    [InlineData("Current directory at S127.0.0.1:1:2 is not stable to perform the lookup for grainId sweep/x (it maps to S127.0.0.1:3:4, which is not a valid silo). Retry later.")]
    [InlineData("Silo S127.0.0.1:1:2 is not owner of experiment/x, cannot forward LookUpAsync to owner S127.0.0.1:3:4 because hop limit is reached")]
    public void IsTransient_GrainDirectoryRaceOnADeadSilo_IsRetried(string message) =>
        Assert.True(ClusterFailures.IsTransient(new OrleansException(message)));

    [Fact]
    public void IsTransient_SiloGoneRejectedOrSilent_IsRetried()
    {
        Assert.True(ClusterFailures.IsTransient(new SiloUnavailableException("the target silo became unavailable")));
        // Orleans alone constructs a rejection.
        Assert.True(ClusterFailures.IsTransient((Exception)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(OrleansMessageRejectionException))));
        Assert.True(ClusterFailures.IsTransient(new TimeoutException("Response did not arrive on time")));
        Assert.True(ClusterFailures.IsTransient(new AggregateException(new SiloUnavailableException("gone"), new TimeoutException())));
        Assert.True(ClusterFailures.IsTransient(new InvalidOperationException("wrapped", new SiloUnavailableException("gone"))));
    }

    [Fact]
    public void IsTransient_TheWorksOwnFailures_AreNot()
    {
        Assert.False(ClusterFailures.IsTransient(new InvalidOperationException("sweep 'x' has no kernel 'y'")));
        Assert.False(ClusterFailures.IsTransient(new OrleansException("Grain extension not installed on target grain.")));
        Assert.False(ClusterFailures.IsTransient(new InconsistentStateException("etag mismatch", "1", "2")));
        Assert.False(ClusterFailures.IsTransient(new AggregateException(new SiloUnavailableException("gone"), new ArgumentException("bad"))));
    }

    [Fact]
    public async Task RetryAsync_FailsForTheClusterThenRecovers_ReturnsTheAnswer()
    {
        var calls = 0;

        var answer = await ClusterFailures.RetryAsync(
            () => ++calls < 3 ? throw new SiloUnavailableException("gone") : Task.FromResult(42), TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal(42, answer);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task RetryAsync_TheWorksOwnFailure_IsThrownAtOnce()
    {
        var calls = 0;

        await Assert.ThrowsAsync<ArgumentException>(() =>
            ClusterFailures.RetryAsync<int>(() => { calls++; throw new ArgumentException("bad"); }, TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Equal(1, calls);
    }

    /// <summary>If this fails after an Orleans upgrade, the directory's wording changed: update the phrases, or its races end experiments again.</summary>
    [Fact]
    public void DirectoryPhrases_AreStillTheShippedOrleansWording()
    {
        // String literals are stored as UTF-16 at odd or even offsets: read the file both ways.
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Orleans.Runtime.dll"));
        var literals = Encoding.Unicode.GetString(bytes) + Encoding.Unicode.GetString(bytes, 1, bytes.Length - 1);

        foreach (var phrase in ClusterFailures.DirectoryPhrases)
        {
            Assert.True(literals.Contains(phrase, StringComparison.Ordinal), $"Orleans.Runtime no longer says '{phrase}'");
        }
    }
}
