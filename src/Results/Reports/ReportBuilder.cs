using System.Globalization;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Results.Reports;

/// <summary>
/// Builds the report's content from recorded runs only: the sweep's setup, the study's tables, the metrics with
/// their conventions, the plots, and one row per experiment linking to its attempts.
/// </summary>
public sealed class ReportBuilder
{
    private static readonly int[] s_candidateKs = [1, 2, 5, 10, 20, 50, 100];
    private readonly IReadOnlyList<ExperimentRecord> _records;
    private readonly Plots _plots;
    private readonly IReadOnlyDictionary<string, string> _attemptLinks;
    private readonly ExpertBaseline _expert;
    private readonly IReadOnlyList<string> _models;
    private readonly IReadOnlyList<(string Kernel, string Technology)> _codes;
    private readonly ILookup<(string Kernel, string Technology, string Model), ExperimentRecord> _cells;

    /// <param name="attemptLinks">Experiment id to the relative link of its attempts.</param>
    public ReportBuilder(IReadOnlyList<ExperimentRecord> records, Plots plots, IReadOnlyDictionary<string, string> attemptLinks)
    {
        _records = records.OrderBy(r => r.Kernel, StringComparer.Ordinal).ThenBy(r => r.ModelLabel(), StringComparer.Ordinal)
            .ThenBy(r => r.Technology, StringComparer.Ordinal).ThenBy(r => r.Prompt, StringComparer.Ordinal).ThenBy(r => r.Sample).ToList();
        _plots = plots;
        _attemptLinks = attemptLinks;
        _expert = new ExpertBaseline(records);
        _models = _records.Select(r => r.ModelLabel()).Distinct().Order(StringComparer.Ordinal).ToList();
        _codes = _records.Select(r => (r.Kernel, r.Technology)).Distinct().ToList();
        _cells = _records.ToLookup(r => (r.Kernel, r.Technology, r.ModelLabel()));
        var samples = _records.Where(r => r.CountsAgainstModel()).GroupBy(r => (r.Kernel, r.Model, r.Technology, r.Prompt)).Select(g => g.Count()).DefaultIfEmpty(1).Max();
        Ks = s_candidateKs.Where(k => k <= samples).ToList();
        ModelMetrics = _records.GroupBy(r => (Model: r.ModelLabel(), r.Technology))
            .OrderBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => g.Key.Technology, StringComparer.Ordinal)
            .Select(g => (g.Key.Model, g.Key.Technology, GroupMetrics.Compute(g.ToList(), Ks, LargestCount(g.Key.Technology), _expert))).ToList();
    }

    /// <summary>The k of the @k metrics: 1, 2, 5, 10, 20, 50, 100, up to the most samples any problem has.</summary>
    public IReadOnlyList<int> Ks { get; }

    public ReportDocument Build()
    {
        var sweeps = _records.Select(r => r.Sweep).Distinct().Order(StringComparer.Ordinal).ToList();
        var notes = new List<string>();
        if (_records.Any(r => r.Provenance.Simulated))
        {
            notes.Add("Simulated models: every model marked (simulated) comes from `sim`, or from `replay` of answers no named model gave, and answers without a live language model; its figures measure the pipeline, not a model.");
        }

        if (_records.Any(r => r.Provenance.Provider == ModelProviders.Replay && !r.Provenance.Simulated))
        {
            notes.Add("Replayed models: every model marked (replayed: NAME) gives answers recorded from NAME (`recorded_from`, with its date and source in the models' parameters), re-built, re-run and re-verified here: its figures are NAME's.");
        }

        if (WeakOutputs.Note(_records) is { } weak)
        {
            notes.Add(weak);
        }

        if (_records.Count == 0)
        {
            notes.Add("No experiment has been recorded yet.");
        }

        return new ReportDocument(
            $"Kernelsmith report: {string.Join(", ", sweeps.DefaultIfEmpty("(empty)"))}",
            notes,
            [
                Setup(sweeps), SequentialTimes(), Outcomes(), Errors(), Times(), Correctness(), Performance(), PerKernel(),
                Repairs(), Taxonomy(), Spending(), Experiments(),
            ]);
    }

    /// <summary>The metrics of each model x technology, in table order.</summary>
    public IReadOnlyList<(string Model, string Technology, GroupMetrics Metrics)> ModelMetrics { get; }

    private ReportSection Setup(IReadOnlyList<string> sweeps)
    {
        var models = new ReportTable("Models", ["model", "provider", "simulated", "parameters", "served as (system fingerprint)", "experiments"],
            _records.GroupBy(r => r.ModelLabel()).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Row(
                g.Key, g.First().Provenance.Provider, g.First().Provenance.Simulated ? "yes" : "no",
                string.Join(", ", g.First().Provenance.ModelParameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")),
                Distinct(g.Where(r => r.Provenance.ServedModel is not null)
                    .Select(r => r.Provenance.SystemFingerprint is { } fingerprint ? $"{r.Provenance.ServedModel} ({fingerprint})" : r.Provenance.ServedModel!)),
                Number(g.Count()))).ToList());
        var kernels = new ReportTable("Kernels and inputs", ["kernel", "technologies", "input", "kernel hash"],
            _records.GroupBy(r => r.Kernel).Select(g => Row(
                g.Key, string.Join(", ", g.Select(r => r.Technology).Distinct().Order(StringComparer.Ordinal)),
                string.Join(", ", g.Select(r => r.Provenance.Input).Distinct().Order(StringComparer.Ordinal)),
                new ReportCell(string.Join(", ", g.Select(r => r.Provenance.KernelHash).Distinct().Order(StringComparer.Ordinal)), Code: true))).ToList());
        var prompts = new ReportTable("Prompts", ["prompt", "distinct prompt texts (hashes)", "experiments"],
            _records.GroupBy(r => r.Prompt).Select(g => Row(g.Key, Number(g.Select(r => r.Provenance.PromptHash).Distinct().Count()), Number(g.Count()))).ToList());
        var agents = new ReportTable("Agents: hardware and toolchains", ["agent", "hardware", "toolchain", "experiments"],
            _records.GroupBy(r => (r.Provenance.Agent, r.Provenance.Hardware, r.Provenance.Toolchain)).OrderBy(g => g.Key.Agent, StringComparer.Ordinal)
                .Select(g => Row(g.Key.Agent, g.Key.Hardware, g.Key.Toolchain, Number(g.Count()))).ToList());
        var runs = new ReportTable("Runs", ["technology", "threads/ranks measured", "pairs per count (min-max)", "noisy / superlinear runs", "samples per problem", "rounds used (max)"],
            _records.GroupBy(r => r.Technology).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Row(
                g.Key,
                string.Join(", ", g.SelectMany(r => r.Runs.Select(m => m.Count(g.Key))).Distinct().Order()),
                g.SelectMany(r => r.Runs).Select(m => m.Repetitions).DefaultIfEmpty(0) is var pairs ? $"{pairs.Min()}-{pairs.Max()}" : "",
                $"{g.SelectMany(r => r.Runs).Count(m => m.Noisy)} / {g.SelectMany(r => r.Runs).Count(m => m.Superlinear)} of {g.SelectMany(r => r.Runs).Count()}",
                Number(g.GroupBy(r => (r.Kernel, r.Model, r.Prompt)).Select(p => p.Count()).DefaultIfEmpty(0).Max()),
                Number(g.Select(r => r.Rounds).DefaultIfEmpty(0).Max()))).ToList());
        return new ReportSection("Setup",
            [$"Sweep {string.Join(", ", sweeps.Select(s => $"`{s}`"))}: {_records.Count} experiments, {_models.Count} models, {_records.Select(r => r.Kernel).Distinct().Count()} kernels. Every figure below is computed from `results.jsonl`.",
             $"Run by Kernelsmith {Distinct(_records.Select(r => r.Provenance.KernelsmithVersion ?? "(not recorded)"))}, spec hash {Distinct(_records.Select(r => r.Provenance.SpecHash ?? "(not recorded)"))}; report written by Kernelsmith {KernelsmithVersion.Current}."],
            models, kernels, prompts, agents, runs);
    }

    private ReportSection SequentialTimes() => new("Sequential times per code",
        ["The sequential reference as timed in alternation with each program (docs/measurement.md): the median over the experiments of its median time in the pairs of their first count. Min and max show how much the node drifted over the sweep; speedups do not suffer from it, since each is a ratio within pairs."],
        new ReportTable(null, ["kernel", "input", "agent", "hardware", "median s", "min s", "max s", "measurements"],
            _records.Where(r => r.SequentialSeconds is not null).GroupBy(r => (r.Kernel, r.Provenance.Input, r.Provenance.Agent, r.Provenance.Hardware))
                .Select(g => Row(g.Key.Kernel, g.Key.Input, g.Key.Agent, g.Key.Hardware,
                    Seconds(Metrics.Median(g.Select(r => r.SequentialSeconds!.Value))), Seconds(g.Min(r => r.SequentialSeconds)),
                    Seconds(g.Max(r => r.SequentialSeconds)), Number(g.Count()))).ToList()));

    private ReportSection Outcomes()
    {
        var table = CodeByModel(cell => cell.Count == 0 ? "" : string.Join("; ",
            new[] { $"{cell.Count(r => r.Passed())}/{cell.Count(r => r.CountsAgainstModel())} correct" }
                .Concat(cell.Where(r => !r.Passed()).GroupBy(r => r.Verdict.ToWireName()).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"))));
        var columns = _codes.SelectMany(c => _models.Where(m => Cell(c, m).Count > 0).Select(m => (c.Technology, Model: m))).Distinct()
            .OrderBy(c => c.Model, StringComparer.Ordinal).ThenBy(c => c.Technology, StringComparer.Ordinal).ToList();
        var kernels = _records.Select(r => r.Kernel).Distinct().ToList();
        var values = new double?[kernels.Count, columns.Count];
        var labels = new string[kernels.Count, columns.Count];
        for (var k = 0; k < kernels.Count; k++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                var cell = Cell((kernels[k], columns[c].Technology), columns[c].Model).Where(r => r.CountsAgainstModel()).ToList();
                values[k, c] = cell.Count == 0 ? null : (double)cell.Count(r => r.Passed()) / cell.Count;
                labels[k, c] = cell.Count == 0 ? "–" : $"{cell.Count(r => r.Passed())}/{cell.Count}";
            }
        }

        IReadOnlyList<ReportPlot> plots = kernels.Count == 0 ? [] :
        [
            _plots.Matrix("verdicts", "Verdict matrix: correct / samples (kernel x model / technology)", kernels,
                columns.Select(c => $"{c.Model} / {c.Technology}").ToList(), values, labels, Plots.Good),
        ];
        return new ReportSection("Run outcomes per code and model",
            ["Final verdict of each experiment, after repairs. \"correct\" counts only programs whose output is right and that run in parallel (a right output with nothing parallel is \"not_parallel\"); `infra_error` is the system's failure and is never counted against a model."],
            [table], plots);
    }

    private ReportSection Errors() => new("Errors met per code and model",
        ["Every classified error met on the way, in any round (so a repaired experiment shows the errors it recovered from), as `category ×count`; `infra_error` is listed for the record but left out of every metric."],
        CodeByModel(cell => string.Join("; ", cell.SelectMany(r => r.Taxonomy).GroupBy(t => t.Category).OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} ×{g.Count()}"))));

    private ReportSection Times()
    {
        var counts = _records.SelectMany(r => r.Runs.Select(m => m.Count(r.Technology))).Distinct().Order().ToList();
        var rows = new List<IReadOnlyList<ReportCell>>();
        var plots = new List<ReportPlot>();
        foreach (var (kernel, technology) in _codes)
        {
            var lines = new List<(string Model, List<SpeedupPoint> Points)>();
            foreach (var model in _models)
            {
                var passed = Cell((kernel, technology), model).Where(r => r.Passed()).ToList();
                if (passed.Count == 0)
                {
                    continue;
                }

                var points = passed.SelectMany(r => r.Runs).GroupBy(m => m.Count(technology)).OrderBy(g => g.Key)
                    .Select(g => SpeedupPoint.Of(g.Key, [.. g])).ToList();
                lines.Add((model, points));
                rows.Add([kernel, technology, model, Number(passed.Count), Seconds(Metrics.Median(passed.Where(r => r.SequentialSeconds is not null).Select(r => r.SequentialSeconds!.Value))),
                    .. counts.Select(c => (ReportCell)Seconds(points.Where(p => p.Count == c).Select(p => (double?)p.Seconds).FirstOrDefault()))]);
            }

            if (lines.Count > 0)
            {
                plots.AddRange(CodePlots(kernel, technology, lines));
            }
        }

        return new ReportSection("Times per thread/rank count",
            ["Median seconds over the correct samples at each thread count (OpenMP, CUDA) or rank count (MPI), each sample itself the median of its paired runs; a blank cell was not measured. The plots draw the same medians, one line per model (the `sim expert` model is the catalog's expert solution), with the sequential time, the ideal linear speedup and, where recorded, the expert's best speedup as dashed references. Efficiency = speedup / count. Error bars are 95 % intervals (with several samples, the medians of their interval ends). A point marked \"noisy\" missed the target precision; one marked \"superlinear\" is faster than 1.1 x its cores, which parallelism alone cannot give: the data now fits in cache, or the program does less work (a different algorithm)."],
            [new ReportTable(null, ["kernel", "technology", "model", "correct samples", "sequential s", .. counts.Select(c => Number(c))], rows)],
            plots);
    }

    private IEnumerable<ReportPlot> CodePlots(string kernel, string technology, List<(string Model, List<SpeedupPoint> Points)> lines)
    {
        var unit = RecordFacts.CountName(technology);
        var counts = lines.SelectMany(l => l.Points.Select(p => (double)p.Count)).Distinct().Order().ToList();
        var span = new[] { counts[0], counts[^1] };
        var code = Cell(kernel, technology);
        var sequential = Metrics.Median(code.Where(r => r.SequentialSeconds is not null).Select(r => r.SequentialSeconds!.Value));
        var catalogExpert = code.Any(r => r.IsSimExpert() && r.Passed()) ? null : Metrics.Median(code.Where(r => r.ExpertSpeedup > 0).Select(r => r.ExpertSpeedup!.Value));

        List<PlotSeries> Series(Func<SpeedupPoint, double> y, Func<SpeedupPoint, (double, double)?>? interval = null) =>
            lines.Select(l => new PlotSeries(l.Model, l.Points.Select(p => (double)p.Count).ToList(), l.Points.Select(y).ToList())
            {
                Intervals = interval is null || l.Points.Any(p => interval(p) is null) ? null : l.Points.Select(p => interval(p)!.Value).ToList(),
                Notes = l.Points.Select(p => p.Superlinear ? "superlinear" : p.Noisy ? "noisy" : null).ToList(),
            }).ToList();

        var time = Series(p => p.Seconds);
        if (sequential is { } s)
        {
            time.Add(new PlotSeries("sequential reference", span, [s, s], Reference: true));
        }

        var speedup = Series(p => p.Speedup, p => p.Interval);
        speedup.Add(new PlotSeries("ideal (linear)", counts, counts, Reference: true));
        if (catalogExpert is { } e)
        {
            speedup.Add(new PlotSeries("expert solution (best speedup)", span, [e, e], Reference: true));
        }

        var efficiency = Series(p => p.Speedup / p.Count, p => p.Interval is var (low, high) ? (low / p.Count, high / p.Count) : null);
        efficiency.Add(new PlotSeries("ideal", span, [1, 1], Reference: true));
        yield return _plots.Lines($"time-{kernel}-{technology}", $"{kernel} / {technology}: time", unit, "seconds (median)", time);
        yield return _plots.Lines($"speedup-{kernel}-{technology}", $"{kernel} / {technology}: speedup", unit, "speedup vs sequential", speedup);
        yield return _plots.Lines($"efficiency-{kernel}-{technology}", $"{kernel} / {technology}: efficiency", unit, "speedup / " + unit, efficiency);
    }

    private ReportSection Correctness()
    {
        var headers = new List<string> { "model", "technology", "experiments", "problems", "built", "correct" };
        headers.AddRange(Ks.Select(k => $"build@{k}"));
        headers.AddRange(Ks.Select(k => $"pass@{k}"));
        var rows = ModelMetrics.Select(m => (IReadOnlyList<ReportCell>)
        [
            m.Model, m.Technology, Number(m.Metrics.Experiments), Number(m.Metrics.Problems), Number(m.Metrics.Built), Number(m.Metrics.Passed),
            .. Ks.Select(k => (ReportCell)Probability(m.Metrics.BuildAtK[k])), .. Ks.Select(k => (ReportCell)Probability(m.Metrics.PassAtK[k])),
        ]).ToList();
        return new ReportSection("Correctness per model and technology",
            [
                "pass@k is the unbiased estimator 1 - C(n-c, k) / C(n, k) of the chance that at least one of k samples is correct, for a problem (kernel x prompt) with n samples of which c are correct; build@k is the same with c = samples whose final program compiled. Both are averaged over problems; \"–\" means some problem has fewer than k samples.",
                "Correct means the output matched the sequential reference at every thread/rank count and the program was not found sequential. `infra_error` experiments are left out of n.",
            ],
            new ReportTable(null, headers, rows));
    }

    private ReportSection Performance()
    {
        var headers = new List<string> { "model", "technology", "n" };
        headers.AddRange(Ks.Select(k => $"speedup_n@{k}"));
        headers.AddRange(Ks.Select(k => $"efficiency_n@{k}"));
        headers.AddRange(Ks.Select(k => $"speedup_max@{k}"));
        headers.AddRange(["fast_1", "fast_2", "vs expert", "compared"]);
        var rows = ModelMetrics.Select(m => (IReadOnlyList<ReportCell>)
        [
            m.Model, m.Technology, Number(m.Metrics.Count),
            .. Ks.Select(k => (ReportCell)Ratio(m.Metrics.SpeedupNAtK[k])), .. Ks.Select(k => (ReportCell)Probability(m.Metrics.EfficiencyNAtK[k])),
            .. Ks.Select(k => (ReportCell)Ratio(m.Metrics.SpeedupMaxAtK[k])),
            Probability(m.Metrics.Fast1), Probability(m.Metrics.Fast2), Ratio(m.Metrics.ExpertRatio), Number(m.Metrics.ExpertCompared),
        ]).ToList();
        return new ReportSection("Performance per model and technology",
            [
                "Incorrect samples count as speedup 0. speedup_n@k is the expected best speedup at n threads/ranks (n = the largest count measured for the technology) of k samples drawn at random among a problem's n samples, computed exactly (sum over the sorted speedups v_(i) of v_(i) C(i-1, k-1) / C(n, k)); efficiency_n@k = speedup_n@k / n; speedup_max@k is the same expectation over each sample's best speedup at any count. All are averaged over problems.",
                "Noisy speedups (the target precision was not reached, see each record's `speedup_ci`) enter every metric with their point estimate, as the others do; the Runs table above counts them, and a metric resting on many of them is as uncertain as they are.",
                "fast_p is the share of samples that are correct and more than p times faster than the sequential reference (best count), averaged over problems. \"vs expert\" is the geometric mean, over correct samples, of best speedup / the expert solution's best speedup (the record's `expert_speedup`, else the same sweep's `sim expert` samples for that kernel and technology); \"compared\" counts those samples.",
            ],
            new ReportTable(null, headers, rows));
    }

    private ReportSection PerKernel()
    {
        var headers = new List<string> { "kernel", "model", "technology", "samples" };
        headers.AddRange(Ks.Select(k => $"pass@{k}"));
        headers.AddRange(Ks.Select(k => $"speedup_max@{k}"));
        headers.Add("vs expert");
        var rows = _records.GroupBy(r => (r.Kernel, Model: r.ModelLabel(), r.Technology)).Select(g =>
        {
            var m = GroupMetrics.Compute(g.ToList(), Ks, LargestCount(g.Key.Technology), _expert);
            return (IReadOnlyList<ReportCell>)
            [
                g.Key.Kernel, g.Key.Model, g.Key.Technology, Number(m.Experiments),
                .. Ks.Select(k => (ReportCell)Probability(m.PassAtK[k])), .. Ks.Select(k => (ReportCell)Ratio(m.SpeedupMaxAtK[k])), Ratio(m.ExpertRatio),
            ];
        }).ToList();
        return new ReportSection("Per kernel", ["The same conventions as above, for each kernel on its own."], new ReportTable(null, headers, rows));
    }

    private ReportSection Repairs()
    {
        var repairs = Enumerable.Range(1, Math.Max(0, _records.Select(r => r.Rounds).DefaultIfEmpty(1).Max() - 1)).ToList();
        var rows = ModelMetrics.Select(m => (IReadOnlyList<ReportCell>)
        [
            m.Model, m.Technology, Number(m.Metrics.Experiments), Number(m.Metrics.PassedFirstRound), Number(m.Metrics.Repaired),
            Percent(m.Metrics.Experiments == 0 ? null : (double)m.Metrics.Repaired / m.Metrics.Experiments),
            Percent(m.Metrics.Experiments - m.Metrics.PassedFirstRound == 0 ? null : (double)m.Metrics.Repaired / (m.Metrics.Experiments - m.Metrics.PassedFirstRound)),
            .. repairs.Select(n => (ReportCell)Number(m.Metrics.RepairedAfter.GetValueOrDefault(n))),
        ]).ToList();
        return new ReportSection("Repairs",
            ["An experiment is repaired when its first answer failed and a later round, after feedback, was correct. \"after repair r\" counts those correct at round r (round 0 is the first answer). The share of experiments repaired is over all experiments; the repair success rate is over those whose first answer was not correct."],
            new ReportTable(null, ["model", "technology", "experiments", "correct first time", "repaired", "share repaired", "repair success rate", .. repairs.Select(n => $"after repair {n}")], rows));
    }

    private ReportSection Taxonomy()
    {
        // Per model x technology: how many experiments met each "stage: category" at least once.
        var groups = _records.Where(r => r.CountsAgainstModel()).GroupBy(r => (Model: r.ModelLabel(), r.Technology))
            .OrderBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => g.Key.Technology, StringComparer.Ordinal)
            .Select(g => (Name: $"{g.Key.Model} / {g.Key.Technology}", Experiments: g.Count(),
                Met: g.SelectMany(r => r.Taxonomy.Select(t => $"{t.Stage}: {t.Category}").Distinct()).CountBy(c => c).ToDictionary()))
            .ToList();
        var categories = groups.SelectMany(g => g.Met.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var rows = categories.Select(category => (IReadOnlyList<ReportCell>)
        [
            category, .. groups.Select(g => (ReportCell)(g.Met.TryGetValue(category, out var n) ? $"{Percent((double)n / g.Experiments)} ({n})" : "")),
        ]).ToList();
        IReadOnlyList<ReportPlot> plots = categories.Count == 0 ? [] :
        [
            _plots.Matrix("taxonomy", "Error taxonomy: share of experiments meeting each error", categories, groups.Select(g => g.Name).ToList(),
                To2D(categories, groups, (c, g) => (double?)g.Met.GetValueOrDefault(c) / g.Experiments),
                To2D(categories, groups, (c, g) => g.Met.TryGetValue(c, out var n) ? Percent((double)n / g.Experiments) : ""), Plots.Bad),
        ];
        return new ReportSection("Error taxonomy",
            ["Share of a model's experiments (infra errors left out) that met each classified error at least once, in any round, with the number of experiments in brackets. Stage is where the error was met (build, run, verify...)."],
            [new ReportTable(null, ["stage: category", .. groups.Select(g => g.Name)], rows)], plots);
    }

    private ReportSection Spending() => new("Tokens and cost per correct solution",
        ["All tokens (prompt and completion, every round, infra errors included: they were spent) divided by the number of correct experiments. Cost is shown only when every experiment of the row has a recorded cost."],
        new ReportTable(null, ["model", "technology", "tokens in", "tokens out", "correct", "tokens per correct", "cost per correct (USD)"],
            ModelMetrics.Select(m =>
            {
                var group = _records.Where(r => r.ModelLabel() == m.Model && r.Technology == m.Technology).ToList();
                return Row(m.Model, m.Technology, Number(group.Sum(r => r.Tokens.Input)), Number(group.Sum(r => r.Tokens.Output)), Number(m.Metrics.Passed),
                    m.Metrics.TokensPerCorrect is { } t ? t.ToString("F0", CultureInfo.InvariantCulture) : "–",
                    m.Metrics.CostPerCorrect is { } c ? c.ToString("F4", CultureInfo.InvariantCulture) : "–");
            }).ToList()));

    private ReportSection Experiments() => new("Experiments",
        ["One row per experiment; the attempts link opens every round's prompt, answer, code diff from the round before, build and run logs. The trace id finds the experiment's spans in the tracing backend."],
        new ReportTable(null, ["kernel", "model", "technology", "prompt", "sample", "verdict", "rounds", "sequential s", "best speedup", "at", "vs expert", "reason", "trace", "attempts"],
            _records.Select(r => Row(
                r.Kernel, r.ModelLabel(), r.Technology, r.Prompt, Number(r.Sample), r.Verdict.ToWireName(), Number(r.Rounds), Seconds(r.SequentialSeconds),
                r.Passed() ? SpeedupWithInterval(r) : "–", r.Passed() && r.BestThreads is { } n ? $"{n} {RecordFacts.CountName(r.Technology)}" : "",
                Ratio(_expert.RatioFor(r)), Text.Clip(r.Reason.Split('\n')[0], 161, "…"), new ReportCell(r.TraceId, Code: true),
                _attemptLinks.TryGetValue(r.Experiment, out var link) ? new ReportCell("attempts", link) : "")).ToList()));

    private ReportTable CodeByModel(Func<IReadOnlyList<ExperimentRecord>, string> cell) =>
        new(null, ["kernel", "technology", .. _models],
            _codes.Select(c => (IReadOnlyList<ReportCell>)[c.Kernel, c.Technology, .. _models.Select(m => (ReportCell)cell(Cell(c, m)))]).ToList());

    private List<ExperimentRecord> Cell((string Kernel, string Technology) code, string model) => _cells[(code.Kernel, code.Technology, model)].ToList();

    private List<ExperimentRecord> Cell(string kernel, string technology) => _models.SelectMany(m => _cells[(kernel, technology, m)]).ToList();

    private int LargestCount(string technology) =>
        _records.Where(r => r.Technology == technology).SelectMany(r => r.Runs.Select(m => m.Count(technology))).DefaultIfEmpty(1).Max();

    /// <summary>"1.95 [1.90, 2.01]", then "noisy" or "superlinear" when either applies.</summary>
    private static string SpeedupWithInterval(ExperimentRecord r) =>
        Ratio(r.Speedup) + (r.SpeedupCi is [var low, var high] ? $" [{Ratio(low)}, {Ratio(high)}]" : "")
        + (r.Noisy ? " noisy" : "") + (r.Superlinear ? " superlinear" : "");

    private static T[,] To2D<T, TGroup>(IReadOnlyList<string> rows, IReadOnlyList<TGroup> columns, Func<string, TGroup, T> value)
    {
        var grid = new T[rows.Count, columns.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                grid[r, c] = value(rows[r], columns[c]);
            }
        }

        return grid;
    }

    private static IReadOnlyList<ReportCell> Row(params ReportCell[] cells) => cells;

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The distinct values, in order, comma-separated: one value when all records agree.</summary>
    private static string Distinct(IEnumerable<string> values) => string.Join(", ", values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    private static string Seconds(double? value) => value?.ToString("F4", CultureInfo.InvariantCulture) ?? "";

    private static string Probability(double? value) => value?.ToString("F3", CultureInfo.InvariantCulture) ?? "–";

    private static string Ratio(double? value) => value?.ToString("F2", CultureInfo.InvariantCulture) ?? "–";

    private static string Percent(double? value) => value is { } v ? (v * 100).ToString("F1", CultureInfo.InvariantCulture) + "%" : "–";
}
