using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Sweeps;
using Kernelsmith.Grains.Yaml;
using Kernelsmith.Results;
using Kernelsmith.Results.Reports;
using Spectre.Console;

namespace Kernelsmith.Cli.Commands;

/// <summary>The client verbs against a running cluster's sweep API: submit, watch, status, cancel, resume, results, agents.</summary>
internal static class ClusterCommands
{
    public const string ClusterVariable = "KERNELSMITH_CLUSTER";

    public static IEnumerable<Command> Create(Option<string[]> kernels)
    {
        var cluster = new Option<string>("--cluster")
        {
            Description = $"The silo's gRPC URL, or several separated by commas: the next is used when one dies (default: ${ClusterVariable} or http://127.0.0.1:5070)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ClusterVariable) ?? "http://127.0.0.1:5070",
        };
        var sweepId = new Argument<string>("sweep") { Description = "Sweep id (as submit printed it)" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Results directory (default: out/<sweep id>)" };
        var prompts = new Option<string[]>("--prompts") { Description = "Prompt template folder(s)", AllowMultipleArgumentsPerToken = true };
        var token = ClusterClient.TokenFileOption();
        var json = CliOutput.JsonOption();

        var spec = new Argument<FileInfo>("spec") { Description = "The sweep spec (YAML)" };
        var submit = new Command("submit", "Submit a sweep to a cluster; prints only the sweep id on stdout") { spec, cluster, token, kernels, prompts, json };
        submit.SetAction((parse, ct) => SubmitAsync(Connect(parse, ClusterClient.RequestPatience), parse.GetValue(spec)!, parse.GetValue(kernels), parse.GetValue(prompts), parse.GetValue(json), ct));

        var watch = new Command("watch", "Follow a sweep, writing its results as they come; progress on stderr, with --json each record on stdout as it comes") { sweepId, cluster, token, output, json };
        watch.SetAction((parse, ct) => FetchAsync(Connect(parse, ClusterClient.WatchPatience), parse.GetValue(sweepId)!, parse.GetValue(output), follow: true, parse.GetValue(json), ct));

        var results = new Command("results", "Fetch a sweep's results into a results directory") { sweepId, cluster, token, output, json };
        results.SetAction((parse, ct) => FetchAsync(Connect(parse, ClusterClient.WatchPatience), parse.GetValue(sweepId)!, parse.GetValue(output), follow: false, parse.GetValue(json), ct));

        Command StatusVerb(string name, string description, Func<SweepService.SweepServiceClient, SweepRef, AsyncUnaryCall<SweepStatus>> call)
        {
            var command = new Command(name, description) { sweepId, cluster, token, json };
            command.SetAction(async (parse, ct) =>
            {
                using var client = Connect(parse, ClusterClient.RequestPatience);
                var status = await client.CallAsync(async c => await call(c, new SweepRef { SweepId = parse.GetValue(sweepId) }), ct);
                Console.Out.WriteLine(parse.GetValue(json) ? ProtoJson.Format(status) : Describe(status));
                return 0;
            });
            return command;
        }

        var agents = new Command("agents", "List the cluster's agents, pools, capabilities and hardware") { cluster, token, json };
        agents.SetAction((parse, ct) => AgentsAsync(Connect(parse, ClusterClient.RequestPatience), parse.GetValue(json)));

        ClusterClient Connect(ParseResult parse, TimeSpan patience) => new(parse.GetValue(cluster)!, patience, parse.GetValue(token));

        return
        [
            submit,
            watch,
            StatusVerb("status", "Show a sweep's progress", (client, sweep) => client.StatusAsync(sweep)),
            StatusVerb("cancel", "Stop a sweep; what is recorded stays", (client, sweep) => client.CancelAsync(sweep)),
            StatusVerb("resume", "Resume a cancelled sweep", (client, sweep) => client.ResumeAsync(sweep)),
            results,
            agents,
        ];
    }

    /// <summary>Wire messages as JSON: the proto field names (snake_case), defaults included, int64 as strings (proto3's JSON mapping).</summary>
    private static readonly JsonFormatter ProtoJson = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true).WithFormatDefaultValues(true));

    private static async Task<int> SubmitAsync(
        ClusterClient client, FileInfo specFile, string[]? kernelDirectories, string[]? promptDirectories, bool json, CancellationToken cancellationToken)
    {
        // The silo parses and validates the spec, once: it must anyway, since a client is not trusted. The client reads
        // only its kernels' ids, to send those folders of its catalog; a kernel it does not have may be the silo's.
        // A mistake still names the user's own file, line and field: the spec travels under its path here.
        if (!specFile.Exists)
        {
            throw new InputFileException(specFile.FullName, 0, "(file)", "sweep spec not found");
        }

        var kernelRoots = CatalogDirectories.Resolve(kernelDirectories, specFile.FullName);
        var promptRoots = CatalogDirectories.Resolve(promptDirectories, specFile.FullName, CatalogDirectories.Prompts);
        var catalog = KernelCatalog.Load(kernelRoots);
        var request = new SubmitRequest { SpecName = specFile.FullName, SpecYaml = await File.ReadAllTextAsync(specFile.FullName, cancellationToken) };
        // The silo reads ${NAME} in the spec with the submitter's values, never from its own environment.
        foreach (var name in SweepSpecLoader.Variables(request.SpecYaml))
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                request.Variables[name] = value;
            }
        }

        foreach (var id in YamlSection.Parse(specFile.FullName, request.SpecYaml).Strings("kernels", required: true).Where(id => catalog.Kernels.Any(k => k.Id == id)))
        {
            var folder = catalog.FolderOf(id);
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                request.Files.Add(new SourceFile { Path = $"kernels/{id}/{Path.GetRelativePath(folder, file)}", Content = ByteString.CopyFrom(await File.ReadAllBytesAsync(file, cancellationToken)) });
            }
        }

        foreach (var template in promptRoots.Where(Directory.Exists).SelectMany(d => Directory.EnumerateFiles(d, "*.md")))
        {
            request.Files.Add(new SourceFile { Path = $"prompts/{Path.GetFileName(template)}", Content = ByteString.CopyFrom(await File.ReadAllBytesAsync(template, cancellationToken)) });
        }

        using var _ = client;
        var reply = await client.CallAsync(async c => await c.SubmitAsync(request, cancellationToken: cancellationToken), cancellationToken);
        // stdout holds the id alone (id=$(kernelsmith submit ...)); the rest is for the person watching.
        CliOutput.Progress.WriteLine($"submitted {reply.SweepId} ({reply.Experiments} experiments)");
        Console.Out.WriteLine(json ? ProtoJson.Format(reply) : reply.SweepId);
        return 0;
    }

    private static async Task<int> FetchAsync(ClusterClient connection, string sweepId, DirectoryInfo? output, bool follow, bool json, CancellationToken cancellationToken)
    {
        var results = new ResultsDirectory(output?.FullName ?? Path.Combine("out", sweepId));
        using var _ = connection;
        var last = "";
        var records = await new SweepWatch(connection, sweepId, results, results.ReadRecords())
        {
            OnStatus = status =>
            {
                if (Describe(status) is var line && line != last)
                {
                    CliOutput.Progress.WriteLine(last = line);
                }
            },
            // As each record comes: a script can act on it while the sweep runs.
            OnRecord = record =>
            {
                if (json)
                {
                    CliOutput.WriteJson(record, ResultsDirectory.Json);
                }
            },
        }.RunAsync(follow, cancellationToken);

        await SweepReport.WriteAsync(results, records, cancellationToken);
        if (!json)
        {
            RunCommand.WriteResults(records, json: false);
        }

        CliOutput.Progress.MarkupLine($"Results: [bold]{Markup.Escape(results.Path)}[/] ({records.Count} records)");
        return 0;
    }

    private static async Task<int> AgentsAsync(ClusterClient client, bool json)
    {
        using var _ = client;
        var list = await client.CallAsync(async c => await c.ListAgentsAsync(new ListAgentsRequest()), CancellationToken.None);
        if (json)
        {
            foreach (var agent in list.Agents.OrderBy(a => a.Pool, StringComparer.Ordinal).ThenBy(a => a.AgentId, StringComparer.Ordinal))
            {
                Console.Out.WriteLine(ProtoJson.Format(agent));
            }

            return 0;
        }

        // One block per agent, a line per property, as plain text: a capability report must read the same in a
        // narrow terminal, a pipe and a log, where a table would wrap or cut its cells.
        foreach (var agent in list.Agents.OrderBy(a => a.Pool, StringComparer.Ordinal).ThenBy(a => a.AgentId, StringComparer.Ordinal))
        {
            var heartbeat = DateTimeOffset.FromUnixTimeMilliseconds(agent.LastHeartbeatUnixMs).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
            Console.WriteLine($"{agent.AgentId} in pool {agent.Pool} at {agent.Address}, last heartbeat {heartbeat}");
            var rows = new List<(string Name, string Value)>
            {
                ("technologies", string.Join(", ", agent.Technologies)),
                ("hardware", agent.Hardware),
                ("sanitizers", string.Join(", ", agent.Sanitizers)),
                ("unavailable", string.Join("; ", agent.Unavailable)),
                ("calibration", agent.Calibration),
                ("load", $"{agent.BusyCores}/{agent.Cores} cores busy, {agent.QueuedJobs} job(s) queued"),
            };
            rows.AddRange(agent.Tools.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value)));
            var width = rows.Max(r => r.Name.Length) + 2;
            foreach (var (name, value) in rows)
            {
                Console.WriteLine($"  {name.PadRight(width)}{(value.Length > 0 ? value : "none")}");
            }
        }

        Console.Out.WriteLine($"{list.Agents.Count} agent(s)");
        return 0;
    }

    private static string Describe(SweepStatus status)
    {
        var verdicts = string.Join(", ", status.ByVerdict.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key} {v.Value}"));
        return $"{status.SweepId}: done {status.Recorded}/{status.Total} | running {status.Running}{(status.Cancelled ? " | cancelled" : "")}{(verdicts.Length > 0 ? " | " + verdicts : "")}"
            + (status.SubmittedBy.Length > 0 ? $" | submitted by {status.SubmittedBy}" : "")
            + (status.Waiting.Count > 0 ? $" | waiting: {string.Join("; ", status.Waiting)}" : "");
    }
}
