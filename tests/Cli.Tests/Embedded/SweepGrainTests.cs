using Kernelsmith.Cli.Embedded;
using Kernelsmith.Cli.Tests.Results;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Cli.Tests.Embedded;

public sealed class SweepGrainTests
{
    [Fact]
    public async Task RecordAsync_SameExperimentReportedTwice_IsRecordedOnce()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(Directory.CreateTempSubdirectory("kernelsmith-sweep-").FullName, CancellationToken.None);
        var sweep = cluster.Grains.GetGrain<ISweepGrain>("idempotent");
        var record = ResultsDirectoryTests.Sample("idempotent/gemm/openmp/m/plain/0");

        var first = await sweep.RecordAsync(record);
        var second = await sweep.RecordAsync(record with { Reason = "a retried report" });

        Assert.True(first);
        Assert.False(second);
        var records = await sweep.GetRecordsAsync(0, 10);
        Assert.Equal("", Assert.Single(records).Reason);
        Assert.Equal(1, (await sweep.GetProgressAsync()).Recorded);
    }
}
