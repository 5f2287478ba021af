using System.Diagnostics;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Capabilities;

/// <summary>What a tool run by a probe printed, and whether it succeeded.</summary>
public sealed record ToolRun(bool Succeeded, string Output);

/// <summary>
/// Detects what this machine can build and run: compilers, MPI, CUDA, and the hardware. A technology is offered only
/// when a test program really builds and runs with its toolchain (<see cref="ToolchainCheck"/>): a compiler whose
/// headers or libraries are missing must never turn into a model's build_error.
/// </summary>
public static class CapabilityProbe
{
    private static readonly (string Tool, string[] Args)[] s_tools =
    [
        ("gcc", ["--version"]),
        ("g++", ["--version"]),
        ("clang", ["--version"]),
        ("clang++", ["--version"]),
        ("nvcc", ["--version"]),
        ("bwrap", ["--version"]),
    ];

    /// <summary>
    /// What this machine offers. With an environment (tests), tools are looked up on its PATH and run with only it;
    /// the toolchains found but refused are listed in <c>unavailable</c>, each with its problem.
    /// </summary>
    public static AgentCapabilities Detect(IReadOnlyDictionary<string, string>? environment = null)
    {
        var capabilities = new AgentCapabilities
        {
            Cores = Environment.ProcessorCount,
            CpuModel = CpuModel(),
            MemoryBytes = MemoryBytes(),
            Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        };
        foreach (var (tool, args) in s_tools)
        {
            if (Output(environment, tool, args) is { } version)
            {
                capabilities.Tools.Add(new ToolVersion { Name = tool, Version = FirstLine(version) });
            }
        }

        // Each MPI wrapper and launcher is recorded with its implementation, so provenance says which MPI built a program.
        var mpi = environment is null ? MpiToolchain.Detection : MpiToolchain.Detect(environment);
        foreach (var toolchain in mpi.Working)
        {
            foreach (var tool in toolchain.Compilers.Append(toolchain.Launcher).Where(t => capabilities.Tools.All(known => known.Name != t)))
            {
                capabilities.Tools.Add(new ToolVersion { Name = tool, Version = toolchain.Version });
            }
        }

        capabilities.Unavailable.AddRange(mpi.Refused);
        bool Has(string tool) => capabilities.Tools.Any(t => t.Name == tool);
        if (Has("gcc"))
        {
            Offer(capabilities, "openmp", ToolchainCheck.OpenMp(environment));
        }

        if (mpi.Working.Count > 0)
        {
            capabilities.Technologies.Add("mpi");
        }

        // CUDA work needs both: nvcc to build, a GPU to run on.
        capabilities.Hardware = HardwareProbe.Detect();
        if (Has("nvcc") && capabilities.Hardware.Gpus.Count > 0)
        {
            Offer(capabilities, "cuda", ToolchainCheck.Cuda(environment));
        }

        return capabilities;
    }

    private static void Offer(AgentCapabilities capabilities, string technology, string? problem)
    {
        if (problem is null)
        {
            capabilities.Technologies.Add(technology);
        }
        else
        {
            capabilities.Unavailable.Add($"{technology}: {problem}");
        }
    }

    private static string FirstLine(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";

    /// <summary>The first line a tool prints about its version, or null when it is not installed.</summary>
    public static string? Version(string tool, params string[] args) => Output(tool, args) is { } output ? FirstLine(output) : null;

    /// <summary>What a tool prints (stdout, then stderr) when it succeeds, or null when it is not installed or fails.</summary>
    public static string? Output(string tool, params string[] args) => Output(null, tool, args);

    /// <summary>The same, with only the given environment when there is one.</summary>
    public static string? Output(IReadOnlyDictionary<string, string>? environment, string tool, params string[] args) =>
        Execute(environment, TimeSpan.FromSeconds(10), tool, args) is { Succeeded: true } run ? run.Output : null;

    /// <summary>
    /// Runs a tool to its end and says whether it succeeded, with what it printed. With an environment, the child gets
    /// only that environment, and the tool is looked up on that environment's PATH (not the agent's).
    /// </summary>
    public static ToolRun Execute(IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, string tool, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(Resolve(tool, environment)) { RedirectStandardOutput = true, RedirectStandardError = true };
            if (environment is not null)
            {
                info.Environment.Clear();
                foreach (var (name, value) in environment)
                {
                    info.Environment[name] = value;
                }
            }

            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info);
            if (process is null)
            {
                return new ToolRun(false, $"{tool} could not be started");
            }

            // Both pipes drain at once: a tool that fills one while the other is read would never exit.
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return new ToolRun(false, $"{tool} did not finish within {timeout.TotalSeconds:0} s");
            }

            var output = stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult();
            return new ToolRun(process.ExitCode == 0, output);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new ToolRun(false, $"{tool} is not installed");
        }
    }

    /// <summary>The file a tool name finally stands for (PATH searched, links followed), or the name itself when not found.</summary>
    public static string RealPath(string tool, IReadOnlyDictionary<string, string>? environment)
    {
        var path = environment?.GetValueOrDefault("PATH") ?? Environment.GetEnvironmentVariable("PATH") ?? "";
        var found = tool.Contains('/', StringComparison.Ordinal)
            ? tool
            : path.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(directory => Path.Combine(directory, tool)).FirstOrDefault(File.Exists);
        return found is null ? tool : File.ResolveLinkTarget(found, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(found);
    }

    /// <summary>A bare tool name found on the environment's PATH, so a probe can be pointed at other tools than the agent's.</summary>
    private static string Resolve(string tool, IReadOnlyDictionary<string, string>? environment)
    {
        if (tool.Contains('/', StringComparison.Ordinal) || environment?.GetValueOrDefault("PATH") is not { } path)
        {
            return tool;
        }

        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(directory => Path.Combine(directory, tool)).FirstOrDefault(File.Exists) ?? tool;
    }

    private static string CpuModel()
    {
        const string cpuinfo = "/proc/cpuinfo";
        var line = File.Exists(cpuinfo) ? File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
        return line?.Split(':', 2)[1].Trim() ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static long MemoryBytes()
    {
        const string meminfo = "/proc/meminfo";
        var line = File.Exists(meminfo) ? File.ReadLines(meminfo).FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        var kib = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return long.TryParse(kib, out var value) ? value * 1024 : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
