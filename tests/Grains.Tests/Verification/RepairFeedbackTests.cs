using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Tests.Verification;

public sealed class RepairFeedbackTests
{
    [Fact]
    public void Sentence_MissingHeader_NamesTheLineTheNameAndTheHeader()
    {
        var finding = Build("missing_header.true.c:15:25: error: use of undeclared identifier 'true'");

        Assert.Equal("missing_header.true.c line 15: 'true' is used without its header: add #include <stdbool.h>.", RepairFeedback.Sentence(finding));
    }

    [Fact]
    public void Sentence_ImplicitOpenMpCall_AsksForOmpH() =>
        Assert.Contains("add #include <omp.h>", RepairFeedback.Sentence(Build("heat.c:12:15: error: implicit declaration of function 'omp_get_thread_num' [-Werror=implicit-function-declaration]")), StringComparison.Ordinal);

    [Fact]
    public void Sentence_UndeclaredIdentifier_NamesIt() =>
        Assert.StartsWith("heat.c line 14: 'num_threads' is not declared", RepairFeedback.Sentence(Build("heat.c:14:32: error: 'num_threads' undeclared (first use in this function)")), StringComparison.Ordinal);

    [Fact]
    public void Sentence_NvccHostCall_NamesTheHostFunction()
    {
        var finding = Build("heat.cu(14): error: calling a __host__ function(\"relax(float, float)\") from a __global__ function(\"jacobi(const float *, float *, int)\") is not allowed");

        Assert.Equal("heat.cu line 14: device code calls the host function 'relax': mark it __device__ (or __host__ __device__), or move the call out of the kernel.", RepairFeedback.Sentence(finding));
    }

    [Fact]
    public void Sentence_UndefinedReferenceToOpenMp_PointsAtTheRuntime() =>
        Assert.Equal(
            "Nothing defines 'omp_get_wtime': it is an OpenMP function: #include <omp.h> (the OpenMP build links it).",
            RepairFeedback.Sentence(Build("heat.c:(.text+0xa): undefined reference to `omp_get_wtime'", ErrorCategories.LinkUndefinedReference)));

    [Fact]
    public void Sentence_RegisterAddressWithoutAName_StillReads() =>
        Assert.Equal(
            "register.c line 16: the address of a register variable (a name) is taken: remove the 'register' keyword.",
            RepairFeedback.Sentence(Build("register.c:16:20: error: address of register variable requested", ErrorCategories.RegisterAddress)));

    [Fact]
    public void Sentence_SanitizerReport_PointsAtTheSourceLine()
    {
        var finding = new ErrorFinding(FindingStages.Sanitize, ErrorCategories.DataRace, """
            WARNING: ThreadSanitizer: data race (pid=13076)
              Read of size 8 at 0x7ffd893cb6f0 by thread T2:
                #0 .omp_outlined._debug__ /work/sum.c:14:13 (program+0xd02d2)
            SUMMARY: ThreadSanitizer: data race /work/sum.c:14:13 in .omp_outlined._debug__
            """);

        Assert.StartsWith("sum.c line 14: a data race", RepairFeedback.Sentence(finding), StringComparison.Ordinal);
    }

    [Fact]
    public void Sentence_AddressSanitizerReport_NamesTheKindOfAccess()
    {
        var finding = new ErrorFinding(FindingStages.Sanitize, ErrorCategories.MemoryError, """
            ==13089==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6180000003a0 at pc 0x55a06afb9fa2 bp 0x7fff4841b870 sp 0x7fff4841b868
            WRITE of size 8 at 0x6180000003a0 thread T0
                #0 0x55a06afb9fa1 in main /work/heat.c:13:14
            """);

        Assert.Equal("heat.c line 13: invalid memory access (heap-buffer-overflow): check array bounds and the lifetime of buffers.", RepairFeedback.Sentence(finding));
    }

    [Fact]
    public void Sentence_CudaIllegalAddress_AsksWhetherAKernelGotAHostArray() =>
        Assert.Equal(
            "heat2d.cu line 64: invalid memory access (CUDA error an illegal memory access was encountered at heat2d.cu:64): check array bounds, and that every array a kernel gets is device memory (its cudaMalloc copy), not the host array.",
            RepairFeedback.Sentence(new ErrorFinding(FindingStages.Run, ErrorCategories.MemoryError, "CUDA error an illegal memory access was encountered at heat2d.cu:64")));

    [Fact]
    public void Sentence_UnknownError_KeepsTheCompilersWords() =>
        Assert.Equal("other.c line 8: other: #error \"needs OpenMP\".", RepairFeedback.Sentence(Build("other.c:8:2: error: #error \"needs OpenMP\"")));

    [Fact]
    public void Describe_ManyFindings_KeepsTheFirstFewOneALine()
    {
        var findings = Enumerable.Range(1, 10).Select(i => Build($"big.c:{i}:1: error: 'v{i}' undeclared (first use in this function)")).ToList();

        var lines = RepairFeedback.Describe(findings).Split('\n');

        Assert.Equal(RepairFeedback.MaxSentences, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("- big.c line ", l, StringComparison.Ordinal));
    }

    private static ErrorFinding Build(string line, string? category = null) =>
        category is null ? ErrorTaxonomy.ClassifyBuild(new JobOutcome(false, 1, 0, line))[0] : new ErrorFinding(FindingStages.Build, category, line);
}
