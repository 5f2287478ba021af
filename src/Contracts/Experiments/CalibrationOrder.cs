using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Contracts.Experiments;

/// <summary>One calibration through the sweep API (<c>CalibrateRequest.order</c>): a kernel's reference on one agent at one count.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.CalibrationOrder")]
public sealed record CalibrationOrder(KernelDefinition Kernel, RunSettings Run, string AgentId, int Threads);
