using System.Text.RegularExpressions;
using Kernelsmith.Contracts.Experiments;
using static Kernelsmith.Grains.Verification.ErrorCategories;

namespace Kernelsmith.Grains.Verification;

/// <summary>
/// Turns findings into short, specific sentences for the model's next attempt: where, what, and the usual
/// fix ("heat.c line 12: 'true' is used without its header: add #include &lt;stdbool.h&gt;.").
/// </summary>
public static partial class RepairFeedback
{
    /// <summary>The first findings carry the cause; the rest are mostly its consequences.</summary>
    public const int MaxSentences = 6;

    /// <summary>One line per finding ("- ..."), at most <see cref="MaxSentences"/>.</summary>
    public static string Describe(IEnumerable<ErrorFinding> findings) =>
        string.Join('\n', findings.Take(MaxSentences).Select(f => "- " + Sentence(f)));

    public static string Sentence(ErrorFinding finding)
    {
        var message = finding.Message;
        var name = Name(message);
        var called = name is null ? "a name" : $"'{name}'";
        var what = What(message);
        var advice = finding.Category switch
        {
            MissingHeader => $"{called} is used without its header: add #include {Header(name, message)}.",
            MissingIncludeFile => $"the header {(IncludeFile().Match(message) is { Success: true } file ? file.Groups["h"].Value : "it includes")} does not exist on this machine: use only standard headers and those of the target technology.",
            C99LoopDeclaration => "the loop variable is declared inside 'for', which this compiler mode (C89) rejects: declare it before the loop.",
            IntFromPointer => "an integer and a pointer are mixed up: dereference the pointer or correct the variable's type.",
            UndeclaredIdentifier => $"{called} is not declared: declare it in scope before its use, or correct the name.",
            OverflowOutOfRange => $"a value does not fit its type ({what}): use a wider type (long long, size_t, double) or a smaller constant.",
            RegisterAddress => $"the address of a register variable ({called}) is taken: remove the 'register' keyword.",
            HostCallInDevice => $"device code calls the host function {called}: mark it __device__ (or __host__ __device__), or move the call out of the kernel.",
            UndefinedInDevice => $"device code uses {called}, which exists only on the host: pass it to the kernel as an argument, or declare it __device__ or __constant__.",
            OpenMpDirective => $"invalid OpenMP construct: {what}.",
            SyntaxError => $"syntax error: {what}.",
            TypeError => $"type mismatch: {what}.",
            LinkUndefinedReference => $"nothing defines {called}: {UndefinedReferenceHint(name ?? "")}.",
            LinkMultipleDefinition => $"{called} is defined more than once: define it in one file only (declare it extern elsewhere, or make it static).",
            MissingLibrary => $"the library {LibraryName().Match(message).Value} is not available here: do not depend on it.",
            BuildTimeout => "the compiler did not finish in time: avoid huge macro expansions, templates and static initialisers.",
            SegmentationFault => "the program crashed with a segmentation fault (invalid memory access): check array bounds, allocation sizes and uninitialised pointers.",
            Abort => $"the program aborted ({FirstLine(message)}).",
            BusError => "bus error: an invalid or misaligned memory access (check mapped files and pointer casts).",
            Fpe => "arithmetic exception, usually an integer division by zero: check divisors such as a block size computed from the number of threads or ranks.",
            OutOfMemory => "the program ran out of memory: allocate less (per-thread or per-rank blocks rather than full copies) and free what is no longer needed.",
            OutputLimit => $"the program was stopped for writing too much ({FirstLine(message)}): print only what the sequential program prints, with no per-iteration or debug output, and write no large files.",
            NonzeroExit => $"the program exited with an error: {Tail(message)}.",
            TimeoutInfiniteLoop => "the program did not finish in time: look for a loop whose condition never changes, or threads waiting for each other.",
            MpiInvalidRank => "an MPI call names a rank that does not exist: compute neighbours from MPI_Comm_size and guard the first and last rank.",
            MpiInvalidCommunicator => "an MPI call uses an invalid communicator (MPI_COMM_NULL or one never created): use MPI_COMM_WORLD or a communicator you created.",
            MpiInvalidCount => "an MPI call gets an invalid (negative) count: check how the block sizes are computed.",
            MpiTruncate => "a message is longer than its receive buffer: make the receive count at least the send count.",
            MpiError => $"an MPI call failed: {MpiClass(message)}.",
            MpiInitFinalize => "MPI is used before MPI_Init or after MPI_Finalize, or a rank returns without MPI_Finalize: call MPI_Init first and MPI_Finalize on every rank.",
            MpiAbort => "the program called MPI_Abort: check the condition that made it give up (e.g. a size that must divide evenly among the ranks).",
            MpiDeadlockOrHang => "the MPI program did not finish in time: look for a deadlock (every rank blocked in a receive or send, or a collective not called by all ranks).",
            CudaLaunchError => $"a kernel launch failed ({FirstLine(message)}): check the grid and block sizes (at most 1024 threads per block) and the resources a block uses.",
            CudaError => $"a CUDA call failed: {FirstLine(message)}.",
            DataRace => "a data race: threads update shared data without synchronisation; make the variable private, use a reduction, or protect the update (atomic, critical).",
            MemoryError => $"invalid memory access ({Kind(message)}): {(OnGpu().IsMatch(message) ? "check array bounds, and that every array a kernel gets is device memory (its cudaMalloc copy), not the host array" : "check array bounds and the lifetime of buffers")}.",
            MemoryLeak => "memory is allocated and never freed (harmless to the results, but free it).",
            UndefinedBehaviour => $"undefined behaviour: {what}.",
            WrongOutput => $"wrong result: {FlatClip(message)}.",
            NondeterministicOutput => $"the output changes from run to run, a race condition or an unordered reduction ({FlatClip(message)}): synchronise the shared updates.",
            NotParallel => $"not parallel: {FirstLine(message)}.",
            _ => $"{finding.Category}: {What(message)}.",
        };

        var where = Location(message);
        return where.Length > 0 ? $"{where}: {advice}" : char.ToUpperInvariant(advice[0]) + advice[1..];
    }

    /// <summary>The user turn that feeds a failed round back to the model.</summary>
    public static ChatTurn Turn(Verdict verdict, string details) => ChatTurn.User(
        $"Your program failed verification ({verdict.ToWireName()}):\n\n{details.Trim()}\n\n" +
        "Fix the problem and reply with the complete corrected program in one fenced code block.");

    /// <summary>The classified findings, one sentence each, above what the failing stage said.</summary>
    public static string WithFindings(IEnumerable<ErrorFinding> findings, string feedback) => $"{Describe(findings)}\n\n{feedback}";

    public static string NoTechnology(IEnumerable<string> choices) =>
        $"Start your answer with a line \"Technology: <name>\" naming one of {string.Join(", ", choices)}.";

    public static string NoCode(string reason) => $"No usable program could be taken from your answer: {reason}.";

    public static string BuildTimedOut() => "The compiler did not finish in time.";

    public static string BuildStopped(string message) => $"The build was stopped: {message}.";

    /// <summary>An input sets the problem size by replacing a text of the source, and the answer no longer has that text.</summary>
    public static string SubstitutionTextMissing(string file, string text) =>
        $"Keep the line holding '{text}' in {file} as it is: the input replaces it to set the problem size, and your program no longer has it.";

    public static string BuildFailed(string log) => $"The build failed:\n{Text.Clip(log, 4000, Text.LogMarker)}";

    public static string MpiErrorThenHang(string where, string category, string log) =>
        $"The program failed {where} with an MPI error ({category}):\n{Text.Clip(log, 3000, Text.LogMarker)}";

    public static string TimedOut(string where, double seconds) =>
        $"The program did not finish within {seconds} seconds {where} (it may loop forever or deadlock).";

    public static string RunStopped(string where, string message, string log) =>
        $"The program was stopped {where}: {message}.\n{Text.Clip(log, 2000, Text.LogMarker)}";

    public static string Crashed(string where, string how, string log) => $"The program crashed {where} ({how}):\n{Text.Clip(log, 3000, Text.LogMarker)}";

    /// <summary>What is wrong with the main input's output; <see cref="OutputMismatch"/> adds the first difference.</summary>
    public static string OutputDiffers(string where) => $"The output {where} differs from the sequential program's";

    /// <summary>The kernel's own checker rejected the files the program wrote; what it printed says why.</summary>
    public static string CheckerRejected(string where, IReadOnlyList<string> files, string said) =>
        $"The files your program wrote {where} ({string.Join(", ", files)}) fail the kernel's check" + (said.Length > 0 ? $":\n{said}" : ".");

    /// <summary>What is wrong with an amplified input's output, with the usual causes.</summary>
    public static string AmplifiedOutputDiffers(string where) =>
        $"The main input's output matched, but the output {where} differs from the sequential program's. Check partitioning when the size is "
        + "small or not divisible by the thread/rank count, and do not depend on particular input values";

    /// <summary>The problem, then the first difference between the outputs (or the finding when the comparison has none).</summary>
    public static string OutputMismatch(string problem, string difference) => $"{problem}:\n{difference}";

    public static string SanitizerFound(string sanitizer, string where, string log) =>
        $"Your program printed the right output, but a {sanitizer} sanitizer run {where} found a problem:\n{Text.Clip(log, 3000, Text.LogMarker)}";

    private static string Header(string? name, string message) =>
        (name is null ? null : KnownHeaders.For(name))
        ?? (HeaderInNote().Match(message) is { Success: true } note ? note.Groups["h"].Value : "the header that declares it");

    private static string UndefinedReferenceHint(string name) => name switch
    {
        _ when name.StartsWith("omp_", StringComparison.Ordinal) => "it is an OpenMP function: #include <omp.h> (the OpenMP build links it)",
        _ when name.StartsWith("MPI_", StringComparison.Ordinal) => "it is an MPI function: #include <mpi.h>",
        _ when KnownHeaders.For(name) == "<math.h>" => "the math library is not linked: compute it another way, as the sequential code does",
        _ => "define it, or remove the call",
    };

    /// <summary>"heat.c line 12" from the first source location in the message, or nothing.</summary>
    private static string Location(string message) =>
        SourceLocation().Match(message) is { Success: true } m ? $"{Path.GetFileName(m.Groups["file"].Value)} line {m.Groups["line"].Value}" : "";

    /// <summary>The name a diagnostic is about: nvcc's function("name"), else the first quoted identifier; null when none.</summary>
    private static string? Name(string message) =>
        QuotedName().Match(message) is { Success: true } m ? m.Groups["name"].Value : null;

    /// <summary>The diagnostic's own words: the first line after "error:".</summary>
    private static string What(string message)
    {
        var first = FirstLine(message);
        var at = first.IndexOf("error: ", StringComparison.Ordinal);
        var text = at >= 0 ? first[(at + 7)..] : first;
        return ErrorNumber().Replace(text, "").TrimEnd('.');
    }

    private static string MpiClass(string message) =>
        MpiClassLine().Match(message) is { Success: true } m ? m.Groups["text"].Value.Trim() : FirstLine(message);

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>A multi-line message (a comparison's differences) on one line, short enough for a prompt.</summary>
    private static string FlatClip(string message) => Text.Clip(string.Join(' ', message.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)), 400);

    private static string Tail(string message) => string.Join(" / ", message.Split('\n').Skip(1).Where(l => l.Trim().Length > 0).TakeLast(2)) is { Length: > 0 } tail ? tail : FirstLine(message);

    /// <summary>What kind of report a message is: "heap-buffer-overflow", "store to address ... with insufficient space ...".</summary>
    private static string Kind(string message)
    {
        var first = FirstLine(message);
        var kind = ReportKind().Match(first) is { Success: true } m ? m.Groups["kind"].Value : first;
        return Text.Clip(kind, 120);
    }

    [GeneratedRegex(@"(?:Sanitizer: (?<kind>[\w-]+(?: on unknown address)?)|runtime error: (?<kind>.*)|^=+\s+(?<kind>.*))")]
    private static partial Regex ReportKind();

    /// <summary>A memory error on the GPU: the CUDA runtime's illegal address, or compute-sanitizer's report of a kernel's access.</summary>
    [GeneratedRegex(@"illegal memory access|IllegalAddress|ILLEGAL_ADDRESS|Invalid __(?:global|device|shared)__")]
    private static partial Regex OnGpu();

    [GeneratedRegex(@"(?<file>[\w./-]+\.(?:c|h|cc|cpp|cxx|hpp|cu|cuh))(?::(?<line>\d+)|\((?<line>\d+)\))")]
    private static partial Regex SourceLocation();

    [GeneratedRegex(@"function\(""(?<name>[\w:~]+)|[‘'`""](?<name>[A-Za-z_]\w*)[’'""]")]
    private static partial Regex QuotedName();

    [GeneratedRegex(@"(?:fatal error: (?<h>[^:\s]+): No such file|[‘'](?<h>[^’']+)[’'] file not found|cannot open source file ""(?<h>[^""]+)"")")]
    private static partial Regex IncludeFile();

    [GeneratedRegex(@"-l[\w.+-]+")]
    private static partial Regex LibraryName();

    [GeneratedRegex(@"(?<h><[\w./]+>)")]
    private static partial Regex HeaderInNote();

    [GeneratedRegex(@"\s*\[-W[\w=,-]+\]$")]
    private static partial Regex ErrorNumber();

    [GeneratedRegex(@"(?:MPI_ERR_\w+: (?<text>.*)|Fatal error in \w+: (?<text>[^,]+))")]
    private static partial Regex MpiClassLine();
}
