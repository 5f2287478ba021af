using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Tests.Verification;

/// <summary>
/// The sanitizer recipes, built and run for real the way the agent runs a build job: each finds the error it is for,
/// and reports nothing on a correct program (no false positives from libomp or the MPI library).
/// </summary>
public sealed class SanitizerRunTests : IDisposable
{
    private const string RacySum = """
        #include <stdio.h>
        int main(void) {
            double sum = 0.0;
            #pragma omp parallel for
            for (int i = 0; i < 100000; i++) sum += 1.0 / (i + 1);
            printf("%.6f\n", sum);
            return 0;
        }
        """;

    // Race-free, with the constructs that make gcc's uninstrumented libgomp look racy to TSan: a dynamic
    // schedule, the barriers between regions, a reduction.
    private const string ReducedSum = """
        #include <math.h>
        #include <stdio.h>
        int main(void) {
            static double a[10000];
            for (int round = 0; round < 20; round++) {
                #pragma omp parallel for schedule(dynamic)
                for (int i = 0; i < 10000; i++) a[i] = sqrt(i * 0.5 + round);
            }
            double sum = 0.0;
            #pragma omp parallel for reduction(+:sum)
            for (int i = 0; i < 10000; i++) sum += a[i];
            printf("%.6f\n", sum);
            return 0;
        }
        """;

    private const string OverflowingStencil = """
        #include <stdio.h>
        #include <stdlib.h>
        int main(void) {
            int n = 1000;
            double *u = calloc(n, sizeof(double)), *next = malloc(n * sizeof(double));
            #pragma omp parallel for
            for (int i = 1; i <= n - 1; i++) next[i] = 0.5 * (u[i - 1] + u[i + 1]);
            printf("%f\n", next[1]);
            free(u); free(next);
            return 0;
        }
        """;

    private const string MpiSum = """
        #include <mpi.h>
        #include <stdio.h>
        #include <stdlib.h>
        int main(int argc, char **argv) {
            MPI_Init(&argc, &argv);
            int rank, size, n = 1000;
            MPI_Comm_rank(MPI_COMM_WORLD, &rank);
            MPI_Comm_size(MPI_COMM_WORLD, &size);
            double *block = malloc(n * sizeof(double)), local = 0.0, total = 0.0;
            for (int i = 0; i < n; i++) { block[i] = rank + i; local += block[i]; }
            MPI_Allreduce(&local, &total, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
            if (rank == 0) printf("%f\n", total);
            free(block);
            MPI_Finalize();
            return 0;
        }
        """;

    private static readonly KernelDefinition Kernel = new(
        "sum", "sum", "c", "", [Technologies.OpenMp, Technologies.Mpi], [], new KernelBuild("gcc", ["-O2"], ["-lm"]),
        new Dictionary<string, KernelInput>(), new OutputComparison(ComparisonModes.Exact, 0, 0, []), new Dictionary<string, IReadOnlyList<CodeFile>>(), "");

    private readonly string _directory = Directory.CreateTempSubdirectory("kernelsmith-sanitizer-").FullName;

    [Theory]
    [InlineData(RacySum, ErrorCategories.DataRace)]
    [InlineData(ReducedSum, null)]
    public async Task ForSanitizer_OpenMpThread_FindsRacesAndOnlyRaces(string source, string? expected)
    {
        var findings = await BuildAndRunAsync(source, Technologies.OpenMp, Sanitizer.Thread);

        Assert.Equal(expected is null ? [] : [expected], findings.Select(f => f.Category));
    }

    [Theory]
    [InlineData(OverflowingStencil, ErrorCategories.MemoryError)]
    [InlineData(ReducedSum, null)]
    public async Task ForSanitizer_OpenMpMemory_FindsMemoryErrorsAndOnlyThose(string source, string? expected)
    {
        var findings = await BuildAndRunAsync(source, Technologies.OpenMp, Sanitizer.Memory);

        Assert.Equal(expected is null ? [] : [expected], findings.Select(f => f.Category));
    }

    [Fact]
    public async Task ForSanitizer_MpiMemory_ReportsNothingOnACorrectProgram()
    {
        // The MPI libraries' own allocations would otherwise come back as leaks.
        Assert.Empty(await BuildAndRunAsync(MpiSum, Technologies.Mpi, Sanitizer.Memory));
    }

    [Fact]
    public async Task ForSanitizer_MpiMemory_FindsAnOverflowInARank()
    {
        var findings = await BuildAndRunAsync(MpiSum.Replace("i < n; i++) {", "i <= n; i++) {", StringComparison.Ordinal), Technologies.Mpi, Sanitizer.Memory);

        Assert.Equal(ErrorCategories.MemoryError, findings[0].Category);
    }

    [Theory]
    [InlineData(Sanitizer.Thread, "racecheck")]
    [InlineData(Sanitizer.Memory, "memcheck")]
    public void ForSanitizer_Cuda_RunsUnderComputeSanitizer(Sanitizer sanitizer, string tool)
    {
        var recipe = BuildRecipe.ForSanitizer(Kernel, Technologies.Cuda, sanitizer);

        Assert.Equal("nvcc", recipe.Compiler);
        Assert.Contains("-lineinfo", recipe.Flags);
        Assert.Equal(["compute-sanitizer", "--tool", tool, "--error-exitcode", "1"], recipe.RunWrapper);
    }

    [Fact]
    public void ForSanitizer_ThreadForMpi_IsNotOffered()
    {
        Assert.DoesNotContain(Sanitizer.Thread, BuildRecipe.SanitizersFor(Technologies.Mpi));
        Assert.Throws<ArgumentException>(() => BuildRecipe.ForSanitizer(Kernel, Technologies.Mpi, Sanitizer.Thread));
    }

    [Fact]
    public void For_OrdinaryBuild_NeedsNoRunEnvironment()
    {
        var recipe = BuildRecipe.For(Kernel, Technologies.OpenMp);

        Assert.Empty(recipe.RunEnvironment);
        Assert.Empty(recipe.RunWrapper);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The agent's build command (compiler, flags, sources, -o program, libraries), then a run with the recipe's environment.</summary>
    private async Task<IReadOnlyList<Contracts.Experiments.ErrorFinding>> BuildAndRunAsync(string source, string technology, Sanitizer sanitizer)
    {
        var recipe = BuildRecipe.ForSanitizer(Kernel, technology, sanitizer);
        await File.WriteAllTextAsync(Path.Combine(_directory, "sum.c"), source);
        var timeout = TimeSpan.FromSeconds(60);
        var build = await TestProcess.RunAsync([recipe.Compiler, .. recipe.Flags, "sum.c", "-o", "program", .. recipe.Libraries], _directory, new Dictionary<string, string>(), timeout);
        Assert.True(build.Outcome.ExitCode == 0, build.Outcome.Log);

        var environment = new Dictionary<string, string>(recipe.RunEnvironment) { ["OMP_NUM_THREADS"] = "4" };
        List<string> run = technology == Technologies.Mpi
            ? ["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", "2", "./program"]
            : ["./program"];
        var outcome = (await TestProcess.RunAsync(run, _directory, environment, timeout)).Outcome;
        return ErrorTaxonomy.ClassifyRun(outcome, technology, FindingStages.Sanitize);
    }
}
