using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Tests.Verification;

public sealed class ParallelismCheckTests
{
    private const string JacobiLoop = """
        for (int it = 0; it < iterations; it++) {
            for (int i = 1; i < n - 1; i++)
                for (int j = 1; j < n - 1; j++)
                    next[i * n + j] = 0.25 * (u[(i - 1) * n + j] + u[(i + 1) * n + j] + u[i * n + j - 1] + u[i * n + j + 1]);
            double *t = u; u = next; next = t;
        }
        """;

    public static IEnumerable<object[]> ExpertSolutions() =>
        TestCatalog.Load().Kernels.SelectMany(k => k.Solutions.Select(s => new object[] { k.Id, s.Key }));

    [Theory]
    [MemberData(nameof(ExpertSolutions))]
    public void Check_CatalogExpertSolution_IsParallel(string kernel, string technology)
    {
        var solution = TestCatalog.Load().Kernels.Single(k => k.Id == kernel).Solutions[technology];

        var report = ParallelismCheck.Check(solution, technology);

        Assert.True(report.IsParallel, report.Reason);
    }

    [Theory]
    [InlineData(Technologies.OpenMp)]
    [InlineData(Technologies.Mpi)]
    [InlineData(Technologies.Cuda)]
    public void Check_CatalogSequentialSource_IsNotParallel(string technology)
    {
        Assert.All(TestCatalog.Load().Kernels, kernel => Assert.False(ParallelismCheck.Check(kernel.Sources, technology).IsParallel));
    }

    [Fact]
    public void Check_OmpHeaderAndTimerOnly_IsNotParallelAndSaysWhy()
    {
        var report = OpenMp("""
            #include <omp.h>
            #include <stdio.h>
            int main(void) {
                double start = omp_get_wtime();
            """ + JacobiLoop + """
                printf("%f s with %d threads\n", omp_get_wtime() - start, omp_get_max_threads());
            }
            """);

        Assert.False(report.IsParallel);
        Assert.Contains("no '#pragma omp' directive", report.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("// #pragma omp parallel for\n")]
    [InlineData("/* the parallel version:\n#pragma omp parallel for collapse(2)\n*/\n")]
    [InlineData("puts(\"#pragma omp parallel for\");\n")]
    [InlineData("#if 0\n#pragma omp parallel for\n#endif\n")]
    [InlineData("// _Pragma(\"omp parallel for\")\n")]
    public void Check_DirectiveInACommentStringOrDisabledBlock_DoesNotCount(string hidden)
    {
        Assert.False(OpenMp(hidden + JacobiLoop).IsParallel);
    }

    [Theory]
    [InlineData("#pragma omp parallel for collapse(2) schedule(static)\n")]
    [InlineData("  #  pragma   omp parallel \\\n      for\n")]
    [InlineData("_Pragma(\"omp parallel for\")\n")]
    [InlineData("#pragma omp target teams distribute parallel for\n")]
    [InlineData("#pragma omp simd\n")]
    [InlineData("#if 0\nint unused;\n#else\n#pragma omp parallel for\n#endif\n")]
    public void Check_DirectiveThatCreatesParallelism_Counts(string directive)
    {
        Assert.True(OpenMp(directive + JacobiLoop).IsParallel);
    }

    [Fact]
    public void Check_OnlyCriticalAndBarrier_IsNotParallel()
    {
        var report = OpenMp("#pragma omp critical\n{ count++; }\n#pragma omp barrier\n");

        Assert.False(report.IsParallel);
        Assert.Contains("'#pragma omp critical'", report.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#pragma omp for\n")]
    [InlineData("#pragma omp for schedule(static)\n#pragma omp single\n")]
    [InlineData("#pragma omp taskloop\n")]
    public void Check_WorksharingWithoutAParallelRegion_IsNotParallelAndSaysWhy(string orphaned)
    {
        var report = OpenMp(orphaned + JacobiLoop);

        Assert.False(report.IsParallel);
        Assert.Contains("no OpenMP parallel region", report.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#pragma omp parallel for num_threads(1)\n")]
    [InlineData("#pragma omp parallel for if(0)\n")]
    [InlineData("omp_set_num_threads(1);\n#pragma omp parallel for\n")]
    public void Check_PinnedToOneThread_IsNotParallel(string code)
    {
        Assert.False(OpenMp(code + JacobiLoop).IsParallel);
    }

    [Fact]
    public void Check_SettingThreadsFromTheEnvironment_IsParallel() =>
        Assert.True(OpenMp("omp_set_num_threads(threads);\n#pragma omp parallel for\n" + JacobiLoop).IsParallel);

    [Fact]
    public void Check_MpiWithoutCommunication_IsNotParallel()
    {
        var report = ParallelismCheck.Check([new CodeFile("heat.c", """
            #include <mpi.h>
            int main(int argc, char **argv) {
                MPI_Init(&argc, &argv);
                int rank, size;
                MPI_Comm_rank(MPI_COMM_WORLD, &rank);
                MPI_Comm_size(MPI_COMM_WORLD, &size);
                if (rank == 0) { /* every rank computes the whole grid; rank 0 prints */ }
                MPI_Finalize();
            }
            """)], Technologies.Mpi);

        Assert.False(report.IsParallel);
        Assert.Contains("no rank ever communicates", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_MpiCallsWithoutInit_IsNotParallel() =>
        Assert.False(ParallelismCheck.Check([new CodeFile("a.c", "MPI_Allreduce(&a, &b, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);")], Technologies.Mpi).IsParallel);

    [Theory]
    [InlineData("MPI_Isend(row, n, MPI_DOUBLE, up, 0, MPI_COMM_WORLD, &requests[0]);")]
    [InlineData("MPI_Allreduce(&local, &total, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);")]
    [InlineData("MPI_Sendrecv(a, n, MPI_DOUBLE, up, 0, b, n, MPI_DOUBLE, down, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);")]
    [InlineData("MPI_Scatterv(all, counts, displs, MPI_DOUBLE, mine, n, MPI_DOUBLE, 0, MPI_COMM_WORLD);")]
    public void Check_MpiWithCommunication_IsParallel(string call)
    {
        var report = ParallelismCheck.Check([new CodeFile("a.c", "int main(int c, char **v) { MPI_Init(&c, &v);\n" + call + "\nMPI_Finalize(); }")], Technologies.Mpi);

        Assert.True(report.IsParallel, report.Reason);
    }

    [Theory]
    [InlineData("jacobi<<<blocks, threads>>>(d_u, d_next, n);", true)]
    [InlineData("jacobi<<<dim3((n + 15) / 16, (n + 15) / 16), dim3(16, 16), 0, stream>>>(d_u, d_next, n);", true)]
    [InlineData("void *args[] = {&d_u, &d_next, &n};\ncudaLaunchKernel((void *)jacobi, grid, block, args, 0, 0);", true)]
    [InlineData("jacobi<<<1, 1>>>(d_u, d_next, n);", false)]
    [InlineData("jacobi<<<dim3(1), dim3(1, 1)>>>(d_u, d_next, n);", false)]
    [InlineData("/* jacobi<<<blocks, threads>>>(d_u, d_next, n); */", false)]
    public void Check_CudaLaunch_IsParallelUnlessOneThread(string launch, bool parallel)
    {
        var files = new[]
        {
            new CodeFile("kernel.cuh", "__global__ void jacobi(const double *u, double *next, int n);"),
            new CodeFile("main.cu", "int main(void) {\n" + launch + "\n}"),
        };

        Assert.Equal(parallel, ParallelismCheck.Check(files, Technologies.Cuda).IsParallel);
    }

    [Fact]
    public void Check_CudaWithoutKernel_IsNotParallel()
    {
        var report = ParallelismCheck.Check([new CodeFile("main.cu", "int main(void) { cudaMalloc(&d, n); cudaMemcpy(d, h, n, cudaMemcpyHostToDevice); }")], Technologies.Cuda);

        Assert.False(report.IsParallel);
        Assert.Contains("__global__", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NonSourceFiles_AreIgnored() =>
        Assert.False(ParallelismCheck.Check([new CodeFile("README.md", "#pragma omp parallel for\n"), new CodeFile("heat.c", JacobiLoop)], Technologies.OpenMp).IsParallel);

    [Fact]
    public void Check_UnknownTechnology_IsNotParallelWithoutThrowing() =>
        Assert.False(ParallelismCheck.Check([new CodeFile("a.c", "#pragma omp parallel for\n")], "opencl").IsParallel);

    private static ParallelismReport OpenMp(string code) =>
        ParallelismCheck.Check([new CodeFile("heat.c", "#include <omp.h>\nvoid step(double *u, double *next, int n, int iterations) {\n" + code + "\n}\n")], Technologies.OpenMp);
}
