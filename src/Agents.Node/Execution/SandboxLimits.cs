using System.Globalization;

namespace Kernelsmith.Agents.Node.Execution;

/// <summary>
/// The resources one job may use. CPU time, processes, file size and open files are kernel limits (setrlimit)
/// on every process of the job; memory and disk are watched by the agent, which kills the whole job when it
/// goes over, so the verdict can say which limit it hit.
/// </summary>
public sealed class SandboxLimits
{
    /// <summary>
    /// CPU seconds per process for each thread the job runs with (all its threads together count): a run at 8 threads
    /// gets 8 times as many. The kernel sends SIGXCPU when they run out. A backstop behind the job's wall-clock limit.
    /// </summary>
    public int CpuSeconds { get; set; } = 3600;

    /// <summary>Resident private memory of all the job's processes together; also the size of its /tmp and /dev/shm.</summary>
    public long MemoryBytes { get; set; } = 4L << 30;

    /// <summary>
    /// Optional address-space limit per process (0: none). Off by default: sanitizers, CUDA and some MPI
    /// transports reserve far more address space than they ever touch.
    /// </summary>
    public long AddressSpaceBytes { get; set; }

    /// <summary>Processes and threads the job may have at once; a fork bomb stops here. Room for a rank and a thread per core.</summary>
    public int Processes { get; set; } = Math.Max(512, 16 * Environment.ProcessorCount);

    /// <summary>The largest file a process may write; the kernel sends SIGXFSZ beyond it.</summary>
    public long FileSizeBytes { get; set; } = 1L << 30;

    /// <summary>What the job may keep in its work directory, all files together.</summary>
    public long DiskBytes { get; set; } = 4L << 30;

    /// <summary>Open file descriptors per process.</summary>
    public int OpenFiles { get; set; } = 1024;

    internal IEnumerable<string> Problems()
    {
        if (CpuSeconds < 1)
        {
            yield return $"CpuSeconds must be at least 1 (got {CpuSeconds})";
        }

        if (MemoryBytes < 16 << 20)
        {
            yield return $"MemoryBytes must be at least 16 MiB (got {MemoryBytes})";
        }

        if (AddressSpaceBytes < 0)
        {
            yield return $"AddressSpaceBytes must be 0 (none) or positive (got {AddressSpaceBytes})";
        }

        if (Processes < 8)
        {
            yield return $"Processes must be at least 8 (got {Processes})";
        }

        if (FileSizeBytes < 1 << 20 || DiskBytes < 1 << 20)
        {
            yield return $"FileSizeBytes and DiskBytes must be at least 1 MiB (got {FileSizeBytes} and {DiskBytes})";
        }

        if (OpenFiles < 16)
        {
            yield return $"OpenFiles must be at least 16 (got {OpenFiles})";
        }
    }

    /// <summary>A size as people read it: 256 MiB, 4 GiB, 1.5 KiB.</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} bytes" : value.ToString(value % 1 == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
