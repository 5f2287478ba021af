using System.Text.RegularExpressions;
using static Kernelsmith.Grains.Verification.ErrorCategories;

namespace Kernelsmith.Grains.Verification;

/// <summary>
/// Reads what a program and its launcher printed (sanitizer reports, Open MPI and MPICH errors, glibc's
/// aborts, CUDA runtime errors) and names each report; then names how the process ended, unless a
/// report already explains it.
/// </summary>
internal static partial class RunLogClassifier
{
    /// <summary>Reports that do not end the program by themselves, so they never explain a crash.</summary>
    private static readonly HashSet<string> s_nonFatal = [DataRace, MemoryLeak, UndefinedBehaviour, OverflowOutOfRange];

    public static void Classify(JobOutcome run, bool mpi, FindingList findings)
    {
        var lines = FindingList.Lines(run.Log);
        for (var i = 0; i < lines.Length; i++)
        {
            i += Report(lines, i, run.TimedOut, findings);
        }

        if (mpi && !run.TimedOut && run.Signal == 0 && findings.Count == 0 && LostMpiErrorClass(run) is { } name)
        {
            // The MPI libraries' default error handler aborts with the error class as exit code, but the message itself
            // is sometimes lost: Open MPI 4.1 leaves only ORTE_ERROR_LOG lines, MPICH now and then prints nothing.
            findings.Add(MpiCategory(name), $"the MPI library's message was lost; exit code {run.ExitCode} is the MPI error class {name}\n" + FindingList.Tail(run.Log), name);
        }

        if (run.TimedOut)
        {
            findings.Add(mpi ? MpiDeadlockOrHang : TimeoutInfiniteLoop,
                "no result within the time limit; the process tree was killed\n" + FindingList.Tail(run.Log), "timeout");
        }
        else if (run.Limit is "output" or "disk" or "file_size")
        {
            // The agent killed it for what it wrote, not for memory: its SIGKILL says nothing about allocation. The
            // message names the limit (an output flood: "killed: output limit 256 KiB").
            findings.Add(OutputLimit, $"{run.LimitMessage}\n" + FindingList.Tail(run.Log), "limit");
        }
        else if (run.Signal != 0 && !findings.Any(c => !s_nonFatal.Contains(c)))
        {
            findings.Add(SignalCategory(run.Signal), $"killed by signal {run.Signal} ({SignalName(run.Signal)})\n" + FindingList.Tail(run.Log), "signal");
        }
        else if (run.ExitCode != 0 && findings.Count == 0)
        {
            findings.Add(NonzeroExit, $"exit code {run.ExitCode}\n" + FindingList.Tail(run.Log), "exit");
        }
    }

    /// <summary>Adds the report that starts at line <paramref name="i"/>, if any; returns how many further lines it spans.</summary>
    private static int Report(string[] lines, int i, bool timedOut, FindingList findings)
    {
        var line = lines[i];
        if (SanitizerError().Match(line) is { Success: true } sanitizer)
        {
            var kind = sanitizer.Groups["kind"].Value;
            var category = sanitizer.Groups["tool"].Value == "LeakSanitizer" ? MemoryLeak : SanitizerKind(kind);
            var end = Until(lines, i, l => l.StartsWith("SUMMARY: ", StringComparison.Ordinal), 60);
            findings.Add(category, Excerpt(lines, i, end), lines[end].StartsWith("SUMMARY: ", StringComparison.Ordinal) ? lines[end] : kind);
            return end - i;
        }

        if (ThreadSanitizerWarning().Match(line) is { Success: true } warning)
        {
            var kind = warning.Groups["kind"].Value;
            var category = kind.StartsWith("data race", StringComparison.Ordinal) ? DataRace : SanitizerKind(kind);
            var end = Until(lines, i, l => l.StartsWith("SUMMARY: ", StringComparison.Ordinal), 80);
            findings.Add(category, Excerpt(lines, i, end), lines[end]);
            return end - i;
        }

        if (UbsanError().Match(line) is { Success: true } ubsan)
        {
            var message = ubsan.Groups["msg"].Value;
            var category = message switch
            {
                _ when UbsanOverflow().IsMatch(message) => OverflowOutOfRange,
                _ when UbsanMemory().IsMatch(message) => MemoryError,
                _ => UndefinedBehaviour,
            };
            findings.Add(category, line, ubsan.Groups["loc"].Value + " " + Words(message, 3));
            return 0;
        }

        if (ComputeSanitizer().Match(line) is { Success: true } gpu)
        {
            var what = gpu.Groups["what"].Value;
            var category = what switch
            {
                _ when what.Contains("Race reported", StringComparison.Ordinal) => DataRace,
                _ when what.StartsWith("Leaked", StringComparison.Ordinal) => MemoryLeak,
                _ when what.StartsWith("Program hit", StringComparison.Ordinal) => CudaCategory(what),
                _ when what.StartsWith("Barrier error", StringComparison.Ordinal) => CudaError,
                _ => MemoryError,
            };
            var next = i + 1 < lines.Length ? lines[i + 1] : "";
            findings.Add(category, line + "\n" + next, Words(what, 4) + " " + next);
            return 1;
        }

        if (OpenMpiErrorClass().Match(line) is { Success: true } openMpi)
        {
            var start = Math.Max(0, i - 4);
            var origin = Array.FindLastIndex(lines, i, i - start + 1, l => l.Contains("*** An error occurred in", StringComparison.Ordinal));
            var message = origin >= 0 ? lines[origin] + "\n" + line : line;
            findings.Add(MpiCategory(openMpi.Groups["class"].Value), message, (origin >= 0 ? lines[origin] : "") + openMpi.Groups["class"].Value);
            return 0;
        }

        if (MpichFatal().Match(line) is { Success: true } mpich)
        {
            var end = Math.Min(lines.Length - 1, i + 2);
            findings.Add(MpiCategory(mpich.Groups["what"].Value), Excerpt(lines, i, end), mpich.Groups["fn"].Value + mpich.Groups["what"].Value);
            return 0;
        }

        if (MpiInitFinalizeRule().IsMatch(line))
        {
            var end = line.StartsWith("mpirun has exited", StringComparison.Ordinal) ? Math.Min(lines.Length - 1, i + 1) : i;
            findings.Add(MpiInitFinalize, Excerpt(lines, i, end), "init/finalize");
            return end - i;
        }

        if (MpiAbortRule().IsMatch(line))
        {
            var end = line.StartsWith("MPI_ABORT", StringComparison.Ordinal) ? Math.Min(lines.Length - 1, i + 1) : i;
            findings.Add(MpiAbort, Excerpt(lines, i, end), "abort");
            return end - i;
        }

        if (AssertionRule().IsMatch(line))
        {
            findings.Add(Abort, line, line);
            return 0;
        }

        if (HeapCorruptionRule().IsMatch(line))
        {
            findings.Add(MemoryError, line, line);
            return 0;
        }

        if (CudaRuntimeRule().IsMatch(line))
        {
            findings.Add(CudaCategory(line), line, line);
            return 0;
        }

        if (OutOfMemoryRule().IsMatch(line))
        {
            findings.Add(OutOfMemory, line, "oom");
            return 0;
        }

        if (RangeRule().IsMatch(line))
        {
            findings.Add(OverflowOutOfRange, line, line);
            return 0;
        }

        // Open MPI's and MPICH's account of a rank that died: the signals of a killed, timed-out job say nothing.
        if (!timedOut && LauncherSignal().Match(line) is { Success: true } signal)
        {
            var number = int.Parse(signal.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
            findings.Add(SignalCategory(number), line, "signal");
        }

        return 0;
    }

    /// <summary>
    /// The MPI error class an exit code stands for when the library's message is missing: on a blank log, only the classes
    /// Open MPI and MPICH number alike (2 to 6); after Open MPI's lost-message trace, all of Open MPI's. 1 (MPI_ERR_BUFFER)
    /// is never read so: it cannot be told from MPI_Abort(comm, 1) or an ordinary failing exit.
    /// </summary>
    private static string? LostMpiErrorClass(JobOutcome run)
    {
        var openMpi = OpenMpiLostMessage().IsMatch(run.Log);
        if (!openMpi && run.Log.Trim().Length > 0)
        {
            return null;
        }

        return run.ExitCode switch
        {
            2 => "MPI_ERR_COUNT",
            3 => "MPI_ERR_TYPE",
            4 => "MPI_ERR_TAG",
            5 => "MPI_ERR_COMM",
            6 => "MPI_ERR_RANK",
            _ when !openMpi => null,
            7 => "MPI_ERR_REQUEST",
            8 => "MPI_ERR_ROOT",
            9 => "MPI_ERR_GROUP",
            10 => "MPI_ERR_OP",
            11 => "MPI_ERR_TOPOLOGY",
            12 => "MPI_ERR_DIMS",
            13 => "MPI_ERR_ARG",
            14 => "MPI_ERR_UNKNOWN",
            15 => "MPI_ERR_TRUNCATE",
            16 => "MPI_ERR_OTHER",
            17 => "MPI_ERR_INTERN",
            _ => null,
        };
    }

    private static string SanitizerKind(string kind) => kind switch
    {
        _ when kind.StartsWith("SEGV", StringComparison.Ordinal) => SegmentationFault,
        _ when kind.StartsWith("BUS", StringComparison.Ordinal) => BusError,
        _ when kind.StartsWith("FPE", StringComparison.Ordinal) => Fpe,
        _ when kind.StartsWith("ILL", StringComparison.Ordinal) => Other,
        _ when kind.StartsWith("detected memory leaks", StringComparison.Ordinal) => MemoryLeak,
        _ when SanitizerOutOfMemory().IsMatch(kind) => OutOfMemory,
        _ when kind.StartsWith("lock-order-inversion", StringComparison.Ordinal) || kind.StartsWith("thread leak", StringComparison.Ordinal) => Other,
        _ when kind.Contains("mutex", StringComparison.Ordinal) || kind.Contains("signal", StringComparison.Ordinal) => Other,
        _ => MemoryError,
    };

    private static string MpiCategory(string what) => what switch
    {
        _ when what.Contains("RANK", StringComparison.Ordinal) || what.Contains("Invalid rank", StringComparison.Ordinal) => MpiInvalidRank,
        _ when what.Contains("_COMM", StringComparison.Ordinal) || what.Contains("communicator", StringComparison.OrdinalIgnoreCase) => MpiInvalidCommunicator,
        _ when what.Contains("COUNT", StringComparison.Ordinal) || what.Contains("Invalid count", StringComparison.Ordinal) => MpiInvalidCount,
        _ when what.Contains("TRUNCATE", StringComparison.Ordinal) || what.Contains("truncated", StringComparison.Ordinal) => MpiTruncate,
        _ => MpiError,
    };

    private static string CudaCategory(string text) => text switch
    {
        _ when CudaMemory().IsMatch(text) => MemoryError,
        _ when CudaLaunch().IsMatch(text) => CudaLaunchError,
        _ when text.Contains("out of memory", StringComparison.OrdinalIgnoreCase) || text.Contains("MemoryAllocation", StringComparison.Ordinal) => OutOfMemory,
        _ => CudaError,
    };

    private static string SignalCategory(int signal) => signal switch
    {
        11 => SegmentationFault,
        6 => Abort,
        7 => BusError,
        8 => Fpe,
        // Outside a timeout, SIGKILL comes from the memory limit (the kernel's OOM killer or the cgroup's).
        9 => OutOfMemory,
        _ => Other,
    };

    private static string SignalName(int signal) => signal switch
    {
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => "signal " + signal,
    };

    private static int Until(string[] lines, int start, Func<string, bool> end, int max)
    {
        for (var j = start + 1; j < lines.Length && j <= start + max; j++)
        {
            if (end(lines[j]))
            {
                return j;
            }
        }

        return start;
    }

    /// <summary>The lines a report spans: its first line, what was accessed and where in the source, and its summary.</summary>
    private static string Excerpt(string[] lines, int start, int end)
    {
        if (end - start < 8)
        {
            return string.Join('\n', lines[start..(end + 1)]);
        }

        var kept = lines[(start + 1)..end].Where(l => ReportDetail().IsMatch(l)).Take(8).Prepend(lines[start]).Append(lines[end]);
        return string.Join('\n', kept);
    }

    private static string Words(string text, int count) => string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(count));

    // ==123==ERROR: AddressSanitizer: heap-buffer-overflow on address ...   (also Leak, Thread, UndefinedBehavior, Memory)
    [GeneratedRegex(@"^(?:==\d+==)?ERROR: (?<tool>AddressSanitizer|LeakSanitizer|ThreadSanitizer|UndefinedBehaviorSanitizer|MemorySanitizer|HWAddressSanitizer): (?<kind>.*)$")]
    private static partial Regex SanitizerError();

    [GeneratedRegex(@"^WARNING: ThreadSanitizer: (?<kind>.*)$")]
    private static partial Regex ThreadSanitizerWarning();

    [GeneratedRegex(@"out of memory|allocation-size-too-big|requested allocation size|calloc-overflow|rss-limit-exceeded|malloc-limit|allocator is out of memory")]
    private static partial Regex SanitizerOutOfMemory();

    // heat.c:12:7: runtime error: signed integer overflow: ...
    [GeneratedRegex(@"^(?<loc>\S+:\d+(?::\d+)?): runtime error: (?<msg>.*)$")]
    private static partial Regex UbsanError();

    [GeneratedRegex(@"integer overflow|outside the range of representable values|changed the value to")]
    private static partial Regex UbsanOverflow();

    [GeneratedRegex(@"out of bounds for type|insufficient space for an object|index -?\d+ out of bounds")]
    private static partial Regex UbsanMemory();

    // ========= Invalid __global__ write of size 4 bytes / ========= Error: Race reported between ... / ========= Program hit cudaError...
    [GeneratedRegex(@"^=+\s+(?<what>Invalid __\w+__ (?:read|write|atomic).*|Invalid (?:global|shared|local|generic) .*|Misaligned .*|Out-of-range .*|Uninitialized __\w+__ memory .*|Malloc/Free error.*|Leaked \d+ bytes.*|(?:Error|Warning): Race reported between.*|Program hit cudaError\w+.*|Barrier error.*)$")]
    private static partial Regex ComputeSanitizer();

    // [host:1234] *** MPI_ERR_RANK: invalid rank
    [GeneratedRegex(@"\*\*\* (?<class>MPI_ERR_\w+): ")]
    private static partial Regex OpenMpiErrorClass();

    // Abort(...) on node 1 (rank 1 in comm 0): Fatal error in internal_Send: Invalid rank, error stack:
    [GeneratedRegex(@"Fatal error in (?<fn>\w+): (?<what>[^,]+), error stack:")]
    private static partial Regex MpichFatal();

    [GeneratedRegex(@"function was called (?:before MPI_INIT|after MPI_FINALIZE) was invoked|Attempting to use an MPI routine .*(?:before initializing|after finalizing)|^mpirun has exited due to process rank \d+|exited without calling ""finalize""")]
    private static partial Regex MpiInitFinalizeRule();

    // Open MPI 4.1 under a sandbox: show_help fails to forward the error text ("Data unpack would read past end of buffer",
    // "Out of resource") and the rank exits with the error class.
    [GeneratedRegex(@"ORTE_ERROR_LOG: (?:Data unpack|.*in file \S*show_help\.c)")]
    private static partial Regex OpenMpiLostMessage();

    [GeneratedRegex(@"^MPI_ABORT was invoked on rank|application called MPI_Abort\(")]
    private static partial Regex MpiAbortRule();

    [GeneratedRegex(@"Assertion [`'‘].*[’'] failed\.?$|^Assertion failed: ")]
    private static partial Regex AssertionRule();

    // glibc's own checks: they abort the program, so SIGABRT is their consequence.
    [GeneratedRegex(@"double free detected|double free or corruption|free\(\): invalid|malloc\(\): (?:corrupted|memory corruption|unaligned|invalid)|munmap_chunk\(\): invalid pointer|corrupted size vs\. prev_size|corrupted double-linked list|realloc\(\): invalid|\*\*\* stack smashing detected \*\*\*|\*\*\* buffer overflow detected \*\*\*")]
    private static partial Regex HeapCorruptionRule();

    // Errors a CUDA program prints about itself (checkCudaErrors and its many copies).
    [GeneratedRegex(@"cudaError\w+|CUDA_ERROR_\w+|\bCUDA (?:error|Error|ERROR)|\bcuda (?:error|Error)|an illegal memory access was encountered|invalid configuration argument|too many resources requested for launch|no kernel image is available for execution")]
    private static partial Regex CudaRuntimeRule();

    [GeneratedRegex(@"illegal memory access|misaligned address|IllegalAddress|MisalignedAddress|ILLEGAL_ADDRESS")]
    private static partial Regex CudaMemory();

    [GeneratedRegex(@"invalid configuration argument|too many resources requested for launch|no kernel image is available|invalid device function|unspecified launch failure|launch timed out|InvalidConfiguration|LaunchOutOfResources|NoKernelImageForDevice|InvalidDeviceFunction|LaunchFailure|LAUNCH_FAILED")]
    private static partial Regex CudaLaunch();

    [GeneratedRegex(@"Cannot allocate memory|std::bad_alloc|\b[Oo]ut of memory\b|CUDA_ERROR_OUT_OF_MEMORY|cudaErrorMemoryAllocation")]
    private static partial Regex OutOfMemoryRule();

    // strerror(ERANGE) and strerror(EOVERFLOW), as perror prints them.
    [GeneratedRegex(@"Numerical result out of range|Value too large for defined data type")]
    private static partial Regex RangeRule();

    // Open MPI: "Signal: Segmentation fault (11)", "exited on signal 11 (Segmentation fault)";
    // MPICH: "EXIT STRING: Segmentation fault (signal 11)"; UCX: "Caught signal 11 (Segmentation fault: ...)".
    [GeneratedRegex(@"(?:\bSignal: [^(]+\((?<n>\d+)\)|exited on signal (?<n>\d+)|EXIT STRING: .*\(signal (?<n>\d+)\)|Caught signal (?<n>\d+) \()")]
    private static partial Regex LauncherSignal();

    // "Write of size 8 at ... by thread T3:", "READ of size 8 at ...", "Direct leak of 8000 byte(s)", "#1 main heap.c:5:17":
    // what and where in the program's own source, not the C library's start-up frames.
    [GeneratedRegex(@"^\s*(?:(?:Previous )?(?:[Aa]tomic )?(?:[Rr]ead|[Ww]rite|READ|WRITE) of size|(?:Direct|Indirect) leak of|(?:=+\s+)?#\d+ (?!.*(?:csu/|sysdeps/|libc-start|libc_start)).*\.(?:c|cc|cpp|cxx|cu):\d+)")]
    private static partial Regex ReportDetail();
}
