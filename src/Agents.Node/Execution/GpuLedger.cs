using System.Globalization;
using System.Threading.Channels;
using Kernelsmith.Agents.Node.Capabilities;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Execution;

/// <summary>
/// Hands out the agent's GPUs one job at a time: a CUDA run gets a device of its own (CUDA_VISIBLE_DEVICES), so no
/// two programs share a GPU and a timing run is never slowed by a neighbour's kernels. Jobs wait in arrival order.
/// </summary>
public sealed class GpuLedger
{
    private readonly Channel<GpuDevice> _free = Channel.CreateUnbounded<GpuDevice>();

    public GpuLedger(IEnumerable<GpuDevice> devices)
    {
        Devices = [.. devices];
        foreach (var device in Devices)
        {
            _free.Writer.TryWrite(device);
        }
    }

    public IReadOnlyList<GpuDevice> Devices { get; }

    public async Task<GpuReservation> ReserveAsync(CancellationToken cancellationToken) =>
        Devices.Count == 0
            ? throw new InvalidOperationException("this agent has no GPU")
            : new GpuReservation(this, await _free.Reader.ReadAsync(cancellationToken));

    /// <summary>One GPU held by one job until disposed.</summary>
    public sealed class GpuReservation(GpuLedger ledger, GpuDevice device) : IDisposable
    {
        /// <summary>The device's index as nvidia-smi numbers it.</summary>
        public int Device => device.Index;

        /// <summary>
        /// What the program's environment gets: it sees the one device, as its device 0. By UUID when known, since
        /// the CUDA runtime may number devices in another order than nvidia-smi.
        /// </summary>
        public string VisibleDevices => device.Uuid.Length > 0 ? device.Uuid : device.Index.ToString(CultureInfo.InvariantCulture);

        public void Dispose() => ledger._free.Writer.TryWrite(device);
    }
}

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
