using System.Globalization;
using Kernelsmith.Agents.Node.Capabilities;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Execution;

/// <summary>Utilisation and memory of a GPU while a job runs, read from <c>nvidia-smi</c> at most once a second.</summary>
public sealed class GpuMonitor(int device)
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);
    private DateTimeOffset _last = DateTimeOffset.MinValue;
    private GpuSample? _sample;

    public long PeakMemoryBytes { get; private set; }

    public GpuSample? Sample()
    {
        var now = DateTimeOffset.UtcNow;
        if (now - _last >= s_interval)
        {
            _last = now;
            var csv = CapabilityProbe.Output("nvidia-smi", "--query-gpu=index,utilization.gpu,memory.used", "--format=csv,noheader,nounits", "-i", device.ToString(CultureInfo.InvariantCulture));
            _sample = csv is null ? null : Parse(csv).FirstOrDefault();
            PeakMemoryBytes = Math.Max(PeakMemoryBytes, _sample?.MemoryUsedBytes ?? 0);
        }

        return _sample;
    }

    /// <summary>Reads <c>nvidia-smi --query-gpu=index,utilization.gpu,memory.used --format=csv,noheader,nounits</c>.</summary>
    public static IEnumerable<GpuSample> Parse(string csv)
    {
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var cells = line.Split(',', StringSplitOptions.TrimEntries);
            if (cells.Length == 3 && int.TryParse(cells[0], CultureInfo.InvariantCulture, out var index)
                && double.TryParse(cells[1], CultureInfo.InvariantCulture, out var utilization) && long.TryParse(cells[2], CultureInfo.InvariantCulture, out var mib))
            {
                yield return new GpuSample { Index = index, UtilizationPercent = utilization, MemoryUsedBytes = mib << 20 };
            }
        }
    }
}
