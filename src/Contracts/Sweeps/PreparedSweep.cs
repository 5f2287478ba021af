using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;

namespace Kernelsmith.Contracts.Sweeps;

/// <summary>
/// A sweep its client has already validated (<c>SubmitRequest.prepared</c>): the spec, its kernels, and the records an
/// interrupted run kept, which the sweep records first and never runs again. Sent by an admin only.
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.PreparedSweep")]
public sealed record PreparedSweep(SweepSpec Spec, IReadOnlyList<KernelDefinition> Kernels, IReadOnlyList<ExperimentRecord> Kept);
