using Kernelsmith.Contracts.Kernels;

namespace Kernelsmith.Contracts.Experiments;

/// <summary>A kernel's sequential reference on one input and one agent through the sweep API (<c>ReferenceRequest.order</c>), as <c>kernels validate --run</c> asks for it.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.ReferenceOrder")]
public sealed record ReferenceOrder(KernelDefinition Kernel, string Input, string AgentId, int Runs, double TimeoutSeconds);
