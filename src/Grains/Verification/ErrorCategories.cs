namespace Kernelsmith.Grains.Verification;

/// <summary>
/// The stable names of classified errors: the <c>category</c> of an ErrorFinding. A public contract
/// that results files, reports and datasets rely on: each is documented with a real example in
/// docs/taxonomy.md, and none is ever renamed or reused for something else.
/// </summary>
public static class ErrorCategories
{
    // Build: the compiler.
    public const string MissingHeader = "missing_header";
    public const string MissingIncludeFile = "missing_include_file";
    public const string C99LoopDeclaration = "c99_loop_declaration";
    public const string IntFromPointer = "int_from_pointer";
    public const string UndeclaredIdentifier = "undeclared_identifier";
    public const string OverflowOutOfRange = "overflow_out_of_range";
    public const string RegisterAddress = "register_address";
    public const string HostCallInDevice = "host_call_in_device";
    public const string UndefinedInDevice = "undefined_in_device";
    public const string OpenMpDirective = "openmp_directive";
    public const string SyntaxError = "syntax_error";
    public const string TypeError = "type_error";

    // Build: the linker, and a compiler that never finishes.
    public const string LinkUndefinedReference = "link_undefined_reference";
    public const string LinkMultipleDefinition = "link_multiple_definition";
    public const string MissingLibrary = "missing_library";
    public const string BuildTimeout = "build_timeout";

    // Run: how the process ended.
    public const string SegmentationFault = "segmentation_fault";
    public const string Abort = "abort";
    public const string BusError = "bus_error";
    public const string Fpe = "fpe";
    public const string OutOfMemory = "out_of_memory";

    /// <summary>Killed by the agent for what it wrote: output, files or disk beyond the job's limits (an output flood).</summary>
    public const string OutputLimit = "output_limit";
    public const string NonzeroExit = "nonzero_exit";
    public const string TimeoutInfiniteLoop = "timeout_infinite_loop";

    // Run: errors the MPI library reports.
    public const string MpiInvalidRank = "mpi_invalid_rank";
    public const string MpiInvalidCommunicator = "mpi_invalid_communicator";
    public const string MpiInvalidCount = "mpi_invalid_count";
    public const string MpiTruncate = "mpi_truncate";
    public const string MpiError = "mpi_error";
    public const string MpiInitFinalize = "mpi_init_finalize";
    public const string MpiAbort = "mpi_abort";
    public const string MpiDeadlockOrHang = "mpi_deadlock_or_hang";

    // Run: errors the CUDA runtime reports.
    public const string CudaLaunchError = "cuda_launch_error";
    public const string CudaError = "cuda_error";

    // Run: sanitizer reports (ThreadSanitizer, AddressSanitizer, UBSan, compute-sanitizer).
    public const string DataRace = "data_race";
    public const string MemoryError = "memory_error";
    public const string MemoryLeak = "memory_leak";
    public const string UndefinedBehaviour = "undefined_behaviour";

    // Verify: the output, and whether the program is parallel at all.
    public const string WrongOutput = "wrong_output";
    public const string NondeterministicOutput = "nondeterministic_output";
    public const string NotParallel = "not_parallel";

    /// <summary>Anything no rule recognises; the raw message is kept as for every other category.</summary>
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All =
    [
        MissingHeader, MissingIncludeFile, C99LoopDeclaration, IntFromPointer, UndeclaredIdentifier, OverflowOutOfRange,
        RegisterAddress, HostCallInDevice, UndefinedInDevice, OpenMpDirective, SyntaxError, TypeError,
        LinkUndefinedReference, LinkMultipleDefinition, MissingLibrary, BuildTimeout,
        SegmentationFault, Abort, BusError, Fpe, OutOfMemory, OutputLimit, NonzeroExit, TimeoutInfiniteLoop,
        MpiInvalidRank, MpiInvalidCommunicator, MpiInvalidCount, MpiTruncate, MpiError, MpiInitFinalize, MpiAbort, MpiDeadlockOrHang,
        CudaLaunchError, CudaError,
        DataRace, MemoryError, MemoryLeak, UndefinedBehaviour,
        WrongOutput, NondeterministicOutput, NotParallel,
        Other,
    ];
}

/// <summary>The pipeline stage a finding comes from: the <c>stage</c> of an ErrorFinding.</summary>
public static class FindingStages
{
    public const string Build = "build";
    public const string Run = "run";
    public const string Verify = "verify";

    /// <summary>The separate, untimed runs of a sanitizer build.</summary>
    public const string Sanitize = "sanitize";
}
