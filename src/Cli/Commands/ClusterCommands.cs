using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Kernelsmith.Cli.Reports;
using Kernelsmith.Cli.Results;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Sweeps;
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
            Description = $"The silo's gRPC URL (default: ${ClusterVariable} or http://127.0.0.1:5070)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ClusterVariable) ?? "http://127.0.0.1:5070",
        };
        var sweepId = new Argument<string>("sweep") { Description = "Sweep id (as submit printed it)" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Results directory (default: out/<sweep id>)" };
        var prompts = new Option<string[]>("--prompts") { Description = "Prompt template folder(s)", AllowMultipleArgumentsPerToken = true };

        var spec = new Argument<FileInfo>("spec") { Description = "The sweep spec (YAML)" };
        var submit = new Command("submit", "Submit a sweep to a cluster") { spec, cluster, kernels, prompts };
        submit.SetAction((parse, ct) => SubmitAsync(parse.GetValue(cluster)!, parse.GetValue(spec)!, parse.GetValue(kernels), parse.GetValue(prompts), ct));

        var watch = new Command("watch", "Follow a sweep, writing its results as they come") { sweepId, cluster, output };
        watch.SetAction((parse, ct) => FetchAsync(parse.GetValue(cluster)!, parse.GetValue(sweepId)!, parse.GetValue(output), follow: true, ct));

        var results = new Command("results", "Fetch a sweep's results into a results directory") { sweepId, cluster, output };
        results.SetAction((parse, ct) => FetchAsync(parse.GetValue(cluster)!, parse.GetValue(sweepId)!, parse.GetValue(output), follow: false, ct));

        Command StatusVerb(string name, string description, Func<SweepService.SweepServiceClient, SweepRef, AsyncUnaryCall<SweepStatus>> call)
        {
            var command = new Command(name, description) { sweepId, cluster };
            command.SetAction(async (parse, ct) =>
            {
                using var channel = GrpcChannel.ForAddress(parse.GetValue(cluster)!);
                var status = await Call(() => call(new SweepService.SweepServiceClient(channel), new SweepRef { SweepId = parse.GetValue(sweepId) }));
                AnsiConsole.WriteLine(Describe(status));
                return 0;
            });
            return command;
        }

        var agents = new Command("agents", "List the cluster's agents, pools, capabilities and hardware") { cluster };
        agents.SetAction((parse, ct) => AgentsAsync(parse.GetValue(cluster)!));

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

    private static async Task<int> SubmitAsync(string cluster, FileInfo specFile, string[]? kernelDirectories, string[]? promptDirectories, CancellationToken cancellationToken)
    {
        // Validate here first: a mistake is reported with the user's own file names and lines.
        var kernelRoots = CatalogDirectories.Resolve(kernelDirectories, specFile.FullName);
        var promptRoots = CatalogDirectories.Resolve(promptDirectories, specFile.FullName, CatalogDirectories.Prompts);
        var catalog = KernelCatalog.Load(kernelRoots);
        var spec = SweepSpecLoader.Load(specFile.FullName, catalog, PromptLibrary.Load(promptRoots));

        var request = new SubmitRequest { SpecName = specFile.Name, SpecYaml = await File.ReadAllTextAsync(specFile.FullName, cancellationToken) };
        foreach (var id in spec.Kernels)
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

        using var channel = GrpcChannel.ForAddress(cluster);
        var reply = await Call(() => new SweepService.SweepServiceClient(channel).SubmitAsync(request, cancellationToken: cancellationToken));
        AnsiConsole.WriteLine($"submitted {reply.SweepId} ({reply.Experiments} experiments)");
        AnsiConsole.WriteLine(reply.SweepId);
        return 0;
    }

    private static async Task<int> FetchAsync(string cluster, string sweepId, DirectoryInfo? output, bool follow, CancellationToken cancellationToken)
    {
        var results = new ResultsDirectory(output?.FullName ?? Path.Combine("out", sweepId));
        var records = results.ReadRecords().ToList();
        var known = records.Select(r => r.Experiment).ToHashSet(StringComparer.Ordinal);
        using var channel = GrpcChannel.ForAddress(cluster);
        var client = new SweepService.SweepServiceClient(channel);
        var request = new WatchRequest { SweepId = sweepId, From = records.Count };
        var last = "";
        await Call(async () =>
        {
            if (follow)
            {
                using var call = client.Watch(request, cancellationToken: cancellationToken);
                await foreach (var update in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    if (update.UpdateCase == SweepUpdate.UpdateOneofCase.Record)
                    {
                        Append(update.Record);
                    }
                    else if (Describe(update.Status) is var line && line != last)
                    {
                        AnsiConsole.WriteLine(last = line);
                    }
                }
            }
            else
            {
                using var call = client.Results(request, cancellationToken: cancellationToken);
                await foreach (var record in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    Append(record);
                }
            }

            return 0;
        });

        await SweepReport.WriteAsync(results, records, cancellationToken);
        AnsiConsole.Write(RunCommand.ResultsTable(records));
        AnsiConsole.MarkupLine($"Results: [bold]{Markup.Escape(results.Path)}[/] ({records.Count} records)");
        return 0;

        void Append(ResultRecord wire)
        {
            var record = JsonSerializer.Deserialize<ExperimentRecord>(wire.Json, ResultsDirectory.Json)!;
            if (!known.Add(record.Experiment))
            {
                return;
            }

            record = record with { Attempts = JsonSerializer.Deserialize<List<Attempt>>(wire.AttemptsJson) ?? [] };
            results.Append(record);
            records.Add(record);
        }
    }

    private static async Task<int> AgentsAsync(string cluster)
    {
        using var channel = GrpcChannel.ForAddress(cluster);
        var list = await Call(() => new SweepService.SweepServiceClient(channel).ListAgentsAsync(new ListAgentsRequest()).ResponseAsync);
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
                ("load", $"{agent.BusyCores}/{agent.Cores} cores busy, {agent.QueuedJobs} job(s) queued"),
            };
            rows.AddRange(agent.Tools.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value)));
            var width = rows.Max(r => r.Name.Length) + 2;
            foreach (var (name, value) in rows)
            {
                Console.WriteLine($"  {name.PadRight(width)}{(value.Length > 0 ? value : "none")}");
            }
        }

        AnsiConsole.WriteLine($"{list.Agents.Count} agent(s)");
        return 0;
    }

    private static string Describe(SweepStatus status)
    {
        var verdicts = string.Join(", ", status.ByVerdict.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key} {v.Value}"));
        return $"{status.SweepId}: done {status.Recorded}/{status.Total} | running {status.Running}{(status.Cancelled ? " | cancelled" : "")}{(verdicts.Length > 0 ? " | " + verdicts : "")}";
    }

    /// <summary>A cluster's refusal (bad spec, unknown sweep, unreachable silo) is the user's to read, as one line.</summary>
    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException e)
        {
            throw new UserException(e.StatusCode == StatusCode.Unavailable ? $"cluster unreachable: {e.Status.Detail}" : e.Status.Detail);
        }
    }

    private static Task<T> Call<T>(Func<AsyncUnaryCall<T>> call) => Call(async () => await call());
}
