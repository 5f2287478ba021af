using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Kernelsmith.Grains.Telemetry;
using Kernelsmith.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kernelsmith.Cli.Tests.Telemetry;

/// <summary>
/// What every host gets from <see cref="ServiceDefaultsExtensions.AddKernelsmithDefaults"/>, seen as an operator sees it:
/// the Prometheus scrape (bucket boundaries that fit builds and runs, a configurable address) and the default log levels.
/// </summary>
public sealed partial class HostDefaultsTests
{
    [Fact]
    public async Task PrometheusScrape_ThirtyMillisecondRunAndThreeSecondBuild_LandInDifferentBuckets()
    {
        var port = FreePort();
        var pool = $"buckets-{Guid.NewGuid():n}"[..16];
        using var host = Build(new()
        {
            [ServiceDefaultsExtensions.PrometheusPortVariable] = port.ToString(CultureInfo.InvariantCulture),
            [ServiceDefaultsExtensions.PrometheusHostVariable] = "127.0.0.1",
        });
        await host.StartAsync();
        try
        {
            GrainsInstrumentation.JobSeconds.Record(0.030, new TagList { { "kernelsmith.pool", pool }, { "kernelsmith.job.kind", "run" } });
            GrainsInstrumentation.JobSeconds.Record(3.0, new TagList { { "kernelsmith.pool", pool }, { "kernelsmith.job.kind", "build" } });

            using var http = new HttpClient();
            var scrape = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");

            var run = Buckets(scrape, pool, "run");
            var build = Buckets(scrape, pool, "build");
            // The bucket an observation lies in: the first upper bound whose cumulative count holds it.
            var runBound = run.First(b => b.Count >= 1).Le;
            var buildBound = build.First(b => b.Count >= 1).Le;
            Assert.True(runBound < buildBound, $"30 ms and 3 s share the bucket le={runBound}: {string.Join(", ", run.Select(b => b.Le))}");
            Assert.InRange(runBound, 0.030, 0.1);
            Assert.InRange(buildBound, 3.0, 10.0);
            // Long jobs keep their resolution too: a queued Slurm job of ten minutes is not lumped with one of a minute.
            Assert.Contains(run, b => b.Le >= 60 && b.Le < 600);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void Logging_ByDefault_WarningsAndKernelsmithsOwnProgressOnly()
    {
        var lines = new List<string>();
        using var host = Build([], lines);
        var loggers = host.Services.GetRequiredService<ILoggerFactory>();

        loggers.CreateLogger("Orleans.Runtime.Catalog").LogInformation("activated a grain");
        loggers.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware").LogInformation("executing an endpoint");
        loggers.CreateLogger("Orleans.Runtime.MembershipService").LogWarning("a silo is suspected");
        loggers.CreateLogger("Kernelsmith.Silo.Services.SweepApiService").LogInformation("sweep submitted");
        loggers.CreateLogger("Kernelsmith.Grains.Sweeps.SweepGrain").LogDebug("refilled the window");

        Assert.Equal(["Orleans.Runtime.MembershipService: a silo is suspected", "Kernelsmith.Silo.Services.SweepApiService: sweep submitted"], lines);
    }

    [Fact]
    public void Logging_LevelConfigured_WinsOverTheDefault()
    {
        var lines = new List<string>();
        using var host = Build(new() { ["Logging:LogLevel:Orleans"] = "Information" }, lines);

        host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Orleans.Runtime.Catalog").LogInformation("activated a grain");

        Assert.Equal(["Orleans.Runtime.Catalog: activated a grain"], lines);
    }

    private static IHost Build(Dictionary<string, string?> settings, List<string>? lines = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ApplicationName = "defaults-test" });
        // As the environment or a config file would: added before the defaults, it must still win over them.
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        if (lines is not null)
        {
            builder.Logging.AddProvider(new RecordingLoggerProvider(lines));
        }

        builder.AddKernelsmithDefaults("defaults-test");
        builder.AddPrometheusScrapeEndpoint();
        return builder.Build();
    }

    /// <summary>The cumulative bucket counts of <c>kernelsmith_job_duration_seconds</c> for one pool and kind, by upper bound.</summary>
    private static List<(double Le, long Count)> Buckets(string scrape, string pool, string kind)
    {
        var buckets = scrape.Split('\n')
            .Where(l => l.StartsWith("kernelsmith_job_duration_seconds_bucket{", StringComparison.Ordinal)
                && l.Contains($"kernelsmith_pool=\"{pool}\"", StringComparison.Ordinal) && l.Contains($"kernelsmith_job_kind=\"{kind}\"", StringComparison.Ordinal))
            .Select(l => BucketLine().Match(l))
            .Select(m => (Le: m.Groups["le"].Value == "+Inf" ? double.PositiveInfinity : double.Parse(m.Groups["le"].Value, CultureInfo.InvariantCulture),
                Count: long.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture)))
            .OrderBy(b => b.Le)
            .ToList();
        Assert.True(buckets.Count > 1, $"no buckets for {pool}/{kind} in the scrape:\n{scrape}");
        return buckets;
    }

    [GeneratedRegex("""le="(?<le>[^"]+)"\}\s+(?<count>\d+)""")]
    private static partial Regex BucketLine();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class RecordingLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Recorder(string category, List<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (lines)
                {
                    lines.Add($"{category}: {formatter(state, exception)}");
                }
            }
        }
    }
}
