using System.Text.RegularExpressions;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Tests.Verification;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Tests.Llm;

/// <summary>
/// <c>sim mutant</c> without a pipeline: where each fault applies in the catalog, and the CUDA round trip. There is
/// no nvcc and no GPU here, so a CUDA fault is never built or run for real: its build and run messages are the
/// nvcc and CUDA runtime/compute-sanitizer texts under Verification/Corpus (captured elsewhere), classified and
/// turned into feedback by the real classifier, plus clang's CUDA front end, which does reject the host call here.
/// The C, OpenMP and MPI faults go through real builds and runs in Cli.Tests (MutantRepairTests).
/// </summary>
public sealed partial class MutantModelTests
{
    private static readonly KernelCatalog s_catalog = TestCatalog.Load();

    private static readonly KernelDefinition s_squares89 =
        KernelCatalog.Load([Path.Combine(TestCatalog.RepositoryRoot, "tests", "Cli.Tests", "TestData", "kernels", "squares89")]).Kernels.Single();

    [Theory]
    [InlineData("host_call_in_device")]
    [InlineData("host_array_in_kernel")]
    public void Applicable_EveryCatalogCudaSolution_GetsTheCudaFault(string fault)
    {
        var solutions = s_catalog.Kernels.Where(k => k.Solutions.ContainsKey(Technologies.Cuda)).ToList();

        Assert.Equal(8, solutions.Count);
        Assert.All(solutions, kernel => Assert.Contains(Faults(kernel, Technologies.Cuda), f => f == fault));
    }

    [Theory]
    [InlineData("heat2d", "sweep_kernel<<<grid, block>>>(n, u, dv);")]
    [InlineData("gemm", "gemm_kernel<<<grid, block>>>(n, a, db, dc);")]
    [InlineData("md5crack", "target[3], &best);")]
    public void Inject_HostArrayInKernel_LaunchesWithTheHostCopy(string kernel, string launch)
    {
        var mutated = Mutate(Kernel(kernel), Technologies.Cuda, "host_array_in_kernel");

        Assert.Contains(launch, mutated, StringComparison.Ordinal);
    }

    [Fact]
    public void Applicable_MpiFaults_WhereTheCallsExist()
    {
        var mpi = s_catalog.Kernels.Where(k => k.Solutions.ContainsKey(Technologies.Mpi)).ToList();
        var withSends = mpi.Where(k => Faults(k, Technologies.Mpi).Contains("unmatched_send_recv")).Select(k => k.Id).Order(StringComparer.Ordinal);

        Assert.All(mpi, kernel => Assert.Contains("wrong_mpi_count", Faults(kernel, Technologies.Mpi)));
        Assert.Equal(["cg", "fdm3d", "fibonacci", "heat2d"], withSends);
    }

    [Theory]
    [InlineData("heat2d", "wrong_mpi_count", "MPI_Gatherv(u + n, rows - 1, row_type,")]
    [InlineData("heat2d", "unmatched_send_recv", "MPI_DOUBLE, up, 1, u + (size_t)(rows + 1) * n, n, MPI_DOUBLE, down, 0,")]
    [InlineData("jacobi", "wrong_mpi_count", "MPI_Reduce(local, global, 1, MPI_DOUBLE")]
    public void Inject_MpiFault_ChangesOneArgument(string kernel, string fault, string expected) =>
        Assert.Contains(expected, Mutate(Kernel(kernel), Technologies.Mpi, fault), StringComparison.Ordinal);

    [Fact]
    public void Applicable_C99LoopDeclaration_OnlyUnderAC89Build()
    {
        var code = s_squares89.Solutions[Technologies.OpenMp][0].Content;

        Assert.Contains("c99_loop_declaration", Faults(s_squares89, Technologies.OpenMp));
        Assert.DoesNotContain(Mutations.Applicable(code, Technologies.OpenMp, ["-O2"]), m => m.Mutation.Name == "c99_loop_declaration");
        // The catalog's kernels are built in gcc's default C dialect, where a loop declaration is legal C.
        Assert.All(s_catalog.Kernels.SelectMany(k => k.Solutions.Keys.Select(t => Faults(k, t))), faults => Assert.DoesNotContain("c99_loop_declaration", faults));
        Assert.Contains("for (int i = 0; i < n; i++)", Mutate(s_squares89, Technologies.OpenMp, "c99_loop_declaration"), StringComparison.Ordinal);
    }

    /// <summary>nvcc's own message for a kernel calling a host function, and the CUDA runtime's and compute-sanitizer's for a kernel given a host array.</summary>
    [Theory]
    [InlineData("host_call_in_device", "nvcc/host_call_in_device.txt", Verdict.BuildError, ErrorCategories.HostCallInDevice)]
    [InlineData("host_array_in_kernel", "cuda-run/memory_error.illegal_address.txt", Verdict.RuntimeError, ErrorCategories.MemoryError)]
    [InlineData("host_array_in_kernel", "cuda-run/memory_error.txt", Verdict.RuntimeError, ErrorCategories.MemoryError)]
    public async Task Complete_CudaFault_RepairedExactlyWhenTheFixtureFeedbackNamesIt(string fault, string fixture, Verdict verdict, string category)
    {
        var log = string.Join('\n', File.ReadAllLines(Path.Combine(Corpus.Directory, fixture)).SkipWhile(l => l.StartsWith('#')));
        var outcome = new JobOutcome(false, 1, 0, log);
        var findings = verdict == Verdict.BuildError ? ErrorTaxonomy.ClassifyBuild(outcome) : ErrorTaxonomy.ClassifyRun(outcome, Technologies.Cuda);
        var feedback = RepairFeedback.Describe(findings);
        var heat2d = Kernel("heat2d");
        var expert = heat2d.Solutions[Technologies.Cuda][0].Content.TrimEnd();

        Assert.Equal(category, findings[0].Category);
        Assert.True(Mutations.All.Single(m => m.Name == fault).IsNamedBy(feedback), feedback);
        Assert.NotEqual(expert, await AnswerAsync(heat2d, Technologies.Cuda, fault));
        Assert.Equal(expert, await AnswerAsync(heat2d, Technologies.Cuda, fault, RepairFeedback.Turn(verdict, feedback)));
    }

    /// <summary>The real check of the host call that this machine allows: clang's CUDA front end on each catalog kernel the mutant changed.</summary>
    [Fact]
    public async Task Inject_HostCallInDevice_ClangRejectsItInEveryCatalogKernel()
    {
        var scratch = Directory.CreateTempSubdirectory("kernelsmith-mutant-cuda-").FullName;
        try
        {
            foreach (var kernel in s_catalog.Kernels.Where(k => k.Solutions.ContainsKey(Technologies.Cuda)))
            {
                // The file up to the end of the mutated kernel, with the attributes clang knows spelled out for the missing CUDA headers.
                var mutated = Mutate(kernel, Technologies.Cuda, "host_call_in_device");
                var upToKernel = CudaRuntimeInclude().Replace(mutated[..EndOfFirstKernel(mutated)], "");
                File.WriteAllText(Path.Combine(scratch, "kernel.cu"), CudaPrelude + upToKernel);
                var build = await TestProcess.RunAsync(
                    "clang -x cuda --cuda-device-only --cuda-gpu-arch=sm_70 -nocudainc -nocudalib -fsyntax-only {src}", scratch, "kernel.cu", TimeSpan.FromSeconds(60));
                var findings = ErrorTaxonomy.ClassifyBuild(build.Outcome);

                Assert.True(findings.Count > 0 && findings[0].Category == ErrorCategories.HostCallInDevice, $"{kernel.Id}:\n{build.Outcome.Log}");
                Assert.True(Mutations.All.Single(m => m.Name == "host_call_in_device").IsNamedBy(RepairFeedback.Describe(findings)), kernel.Id);
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task Complete_FeedbackNamingAnotherFault_KeepsTheFault()
    {
        var gemm = Kernel("gemm");
        var log = string.Join('\n', File.ReadAllLines(Path.Combine(Corpus.Directory, "nvcc", "host_call_in_device.txt")).SkipWhile(l => l.StartsWith('#')));
        var other = RepairFeedback.Describe(ErrorTaxonomy.ClassifyBuild(new JobOutcome(false, 1, 0, log)));

        var first = await AnswerAsync(gemm, Technologies.Cuda, "host_array_in_kernel");
        var second = await AnswerAsync(gemm, Technologies.Cuda, "host_array_in_kernel", RepairFeedback.Turn(Verdict.BuildError, other));

        Assert.Equal(first, second);
        Assert.Contains("(n, a, db, dc)", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_SameSeed_SameFault_OtherSeeds_OtherFaults()
    {
        var heat2d = Kernel("heat2d");
        var answers = new List<string>();
        for (var seed = 0; seed < 12; seed++)
        {
            var once = await AnswerAsync(heat2d, Technologies.Mpi, fault: null, seed: seed);
            Assert.Equal(once, await AnswerAsync(heat2d, Technologies.Mpi, fault: null, seed: seed));
            answers.Add(once);
        }

        Assert.True(answers.Distinct(StringComparer.Ordinal).Count() >= 3, "twelve seeds gave fewer than three different faults");
        Assert.DoesNotContain(heat2d.Solutions[Technologies.Mpi][0].Content.TrimEnd(), answers);
    }

    private const string CudaPrelude = """
        #include <__clang_cuda_builtin_vars.h>
        #define __global__ __attribute__((global))
        #define __device__ __attribute__((device))
        #define __host__ __attribute__((host))
        #define __shared__ __attribute__((shared))
        #define __restrict__ __restrict

        """;

    private static KernelDefinition Kernel(string id) => s_catalog.TryGet(id, out var kernel) ? kernel : throw new ArgumentException(id);

    private static IReadOnlyList<string> Faults(KernelDefinition kernel, string technology) =>
        [.. Mutations.Applicable(kernel.Solutions[technology][0].Content, technology, BuildRecipe.For(kernel, technology).Flags).Select(m => m.Mutation.Name)];

    private static string Mutate(KernelDefinition kernel, string technology, string fault) =>
        Mutations.Applicable(kernel.Solutions[technology][0].Content, technology, BuildRecipe.For(kernel, technology).Flags).Single(m => m.Mutation.Name == fault).Code;

    private static async Task<string> AnswerAsync(KernelDefinition kernel, string technology, string? fault, ChatTurn? feedback = null, int seed = 1)
    {
        var model = new ModelSpec("m", ModelProviders.Sim, Behaviour: SimModel.Mutant, Seed: seed, Fault: fault);
        var experiment = new ExperimentSpec($"t/{kernel.Id}/{technology}/m/plain/0", "t", kernel.Id, model, technology, "plain", 0, new RepairSettings(1), new RunSettings("tiny", [1], [1], 1, 5, 5));
        List<ChatTurn> conversation = [ChatTurn.User("port it"), ChatTurn.Assistant("(the first answer)")];
        if (feedback is not null)
        {
            conversation.Add(feedback);
        }

        var answer = await new SimModel().CompleteAsync(new ModelRequest(experiment, model, kernel, conversation, feedback is null ? 0 : 1), CancellationToken.None);
        return Code(answer.Text);
    }

    /// <summary>The program in a simulated answer: its one fenced block.</summary>
    private static string Code(string answer) => FencedBlock().Match(answer) is { Success: true } m ? m.Groups["code"].Value.TrimEnd() : answer;

    private static int EndOfFirstKernel(string code)
    {
        var at = code.IndexOf("__global__", StringComparison.Ordinal);
        var depth = 0;
        for (var i = code.IndexOf('{', at); i < code.Length; i++)
        {
            depth += code[i] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return i + 1;
            }
        }

        return code.Length;
    }

    [GeneratedRegex(@"```\w*\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"^#include <cuda_runtime\.h>\n", RegexOptions.Multiline)]
    private static partial Regex CudaRuntimeInclude();
}
