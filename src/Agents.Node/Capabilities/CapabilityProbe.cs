using System.Diagnostics;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Capabilities;

/// <summary>Detects what this machine can build and run: compilers, MPI, CUDA, and the hardware.</summary>
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

    public static AgentCapabilities Detect()
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
            if (Version(tool, args) is { } version)
            {
                capabilities.Tools.Add(new ToolVersion { Name = tool, Version = version });
            }
        }

        // Each MPI wrapper and launcher is recorded with its implementation, so provenance says which MPI built a program.
        foreach (var mpi in MpiToolchain.Installed)
        {
            foreach (var tool in mpi.Compilers.Append(mpi.Launcher).Where(t => capabilities.Tools.All(known => known.Name != t)))
            {
                capabilities.Tools.Add(new ToolVersion { Name = tool, Version = mpi.Version });
            }
        }

        bool Has(string tool) => capabilities.Tools.Any(t => t.Name == tool);
        if (Has("gcc"))
        {
            capabilities.Technologies.Add("openmp");
        }

        if (MpiToolchain.Installed.Count > 0)
        {
            capabilities.Technologies.Add("mpi");
        }

        // CUDA work needs both: nvcc to build, a GPU to run on.
        capabilities.Hardware = HardwareProbe.Detect();
        if (Has("nvcc") && capabilities.Hardware.Gpus.Count > 0)
        {
            capabilities.Technologies.Add("cuda");
        }

        return capabilities;
    }

    /// <summary>The first line a tool prints about its version, or null when it is not installed.</summary>
    public static string? Version(string tool, params string[] args) =>
        Output(tool, args) is { } output
            ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? ""
            : null;

    /// <summary>What a tool prints (stdout, then stderr) when it succeeds, or null when it is not installed or fails.</summary>
    public static string? Output(string tool, params string[] args) => Output(null, tool, args);

    /// <summary>The same, with only the given environment when there is one.</summary>
    public static string? Output(IReadOnlyDictionary<string, string>? environment, string tool, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
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
                return null;
            }

            // Both pipes drain at once: a tool that fills one while the other is read would never exit.
            var stderr = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd() + stderr.GetAwaiter().GetResult();
            if (!process.WaitForExit(10_000) || process.ExitCode != 0)
            {
                return null;
            }

            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
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
