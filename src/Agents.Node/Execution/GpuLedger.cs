using System.Globalization;
using System.Threading.Channels;
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
