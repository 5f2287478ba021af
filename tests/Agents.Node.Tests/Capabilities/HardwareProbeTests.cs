using Kernelsmith.Agents.Node.Capabilities;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Tests.Capabilities;

public sealed class HardwareProbeTests
{
    /// <summary><c>lscpu</c> of a two-socket Xeon node (util-linux 2.38), abridged.</summary>
    private const string TwoSocketXeon = """
        Architecture:            x86_64
        CPU(s):                  64
        On-line CPU(s) list:     0-63
        Model name:              Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz
        Thread(s) per core:      2
        Core(s) per socket:      16
        Socket(s):               2
        L1d cache:               1.5 MiB (32 instances)
        L1i cache:               1 MiB (32 instances)
        L2 cache:                40 MiB (32 instances)
        L3 cache:                96 MiB (2 instances)
        NUMA node(s):            2
        NUMA node0 CPU(s):       0-15,32-47
        NUMA node1 CPU(s):       16-31,48-63
        """;

    /// <summary><c>nvidia-smi --query-gpu=index,name,memory.total,compute_cap,uuid --format=csv,noheader,nounits</c> on a two-GPU node.</summary>
    private const string TwoH100 = """
        0, NVIDIA H100 80GB HBM3, 81559, 9.0, GPU-2b5f0b6e-1d7c-6f1d-0a3b-5e0f4c1d2a11
        1, NVIDIA H100 80GB HBM3, 81559, 9.0, GPU-7c1a2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e
        """;

    [Fact]
    public void ParseLscpu_TwoSocketNode_ReadsSocketsCoresThreadsCachesAndNuma()
    {
        var spec = HardwareProbe.ParseLscpu(TwoSocketXeon);

        Assert.Equal((2, 16, 2, 2), (spec.Sockets, spec.CoresPerSocket, spec.ThreadsPerCore, spec.NumaNodes));
        Assert.Equal(["L1d 1.5 MiB (32 instances)", "L2 40 MiB (32 instances)", "L3 96 MiB (2 instances)"], spec.Caches);
    }

    [Fact]
    public void ParseNvidiaSmi_TwoGpus_ReadsNameMemoryAndComputeCapability()
    {
        var gpus = HardwareProbe.ParseNvidiaSmi(TwoH100).ToList();

        Assert.Equal([0, 1], gpus.Select(g => g.Index));
        Assert.All(gpus, g => Assert.Equal(("NVIDIA H100 80GB HBM3", 81559L << 20, "9.0"), (g.Name, g.MemoryBytes, g.ComputeCapability)));
        Assert.StartsWith("GPU-7c1a", gpus[1].Uuid, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMultiprocessors_ProbeLines_AreMatchedByUuidNotByOrder()
    {
        var gpus = HardwareProbe.ParseNvidiaSmi(TwoH100).ToList();

        HardwareProbe.AddMultiprocessors(gpus, "GPU-7c1a2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e 132\nGPU-2b5f0b6e-1d7c-6f1d-0a3b-5e0f4c1d2a11 114\n");

        Assert.Equal([114, 132], gpus.Select(g => g.SmCount));
    }

    [Fact]
    public void ParseNvidiaSmi_ErrorText_GivesNoGpu()
    {
        Assert.Empty(HardwareProbe.ParseNvidiaSmi("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n"));
    }

    [Fact]
    public void Describe_TwoSocketGpuNode_SaysWhatASpeedupTableNeeds()
    {
        var capabilities = new AgentCapabilities { CpuModel = "Intel(R) Xeon(R) Gold 6338", Cores = 62, MemoryBytes = 512L << 30, Hardware = HardwareProbe.ParseLscpu(TwoSocketXeon) };
        capabilities.Hardware.Gpus.AddRange(HardwareProbe.ParseNvidiaSmi(TwoH100));

        var line = HardwareDescription.Describe(capabilities);

        Assert.Equal(
            "Intel(R) Xeon(R) Gold 6338; 2 socket(s) x 16 cores x 2 thread(s), 62 cores for jobs; 2 NUMA node(s); "
            + "L1d 1.5 MiB (32 instances), L2 40 MiB (32 instances), L3 96 MiB (2 instances); 512 GiB; "
            + "GPU 0: NVIDIA H100 80GB HBM3, 79 GiB, compute capability 9.0; GPU 1: NVIDIA H100 80GB HBM3, 79 GiB, compute capability 9.0",
            line);
    }

    [Fact]
    public void ParseGetconfCaches_VirtualMachineWithoutSysfsCaches_ReadsCpuidSizes()
    {
        const string getconf = """
            LEVEL1_ICACHE_SIZE                 32768
            LEVEL1_DCACHE_SIZE                 49152
            LEVEL1_DCACHE_ASSOC                12
            LEVEL2_CACHE_SIZE                  1048576
            LEVEL3_CACHE_SIZE                  0
            """;

        Assert.Equal(["L1d 48 KiB", "L2 1 MiB"], HardwareProbe.ParseGetconfCaches(getconf));
    }

    [Fact]
    public void Detect_ThisMachine_FindsItsSocketsCachesAndWorkingSanitizers()
    {
        var spec = HardwareProbe.Detect();

        Assert.True(spec.Sockets >= 1 && spec.CoresPerSocket >= 1 && spec.NumaNodes >= 1, spec.ToString());
        Assert.Contains(spec.Caches, c => c.StartsWith("L2 ", StringComparison.Ordinal));
        // clang and its sanitizer runtimes are installed with the test dependencies; without a GPU, no compute-sanitizer.
        Assert.Contains("thread", spec.Sanitizers);
        Assert.Contains("memory", spec.Sanitizers);
        Assert.Empty(spec.Gpus);
    }
}
