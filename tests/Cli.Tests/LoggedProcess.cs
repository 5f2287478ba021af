using System.Diagnostics;

namespace Kernelsmith.Cli.Tests;

/// <summary>Server processes a test starts (Redis, silos, agents), each writing to a log file a failing test can point at.</summary>
public static class LoggedProcess
{
    /// <summary>Starts <paramref name="program"/> with its output appended to <paramref name="log"/>, logging warnings and worse unless told otherwise.</summary>
    public static Process Start(string log, string program, string arguments, params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo("bash") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"exec {program} {arguments} >> {log} 2>&1");
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return Process.Start(info)!;
    }
}
