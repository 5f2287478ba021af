namespace Kernelsmith.Contracts.Telemetry;

/// <summary>Names shared by every host's OpenTelemetry setup, so one registration listens to all parts.</summary>
public static class TelemetryNames
{
    public const string ActivitySource = "Kernelsmith";
    public const string Meter = "Kernelsmith";
}
