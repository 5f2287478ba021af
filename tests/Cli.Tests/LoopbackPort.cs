using System.Net;
using System.Net.Sockets;

namespace Kernelsmith.Cli.Tests;

/// <summary>Ports on loopback for the servers a test starts.</summary>
public static class LoopbackPort
{
    /// <summary>A port nothing listens on now, chosen by the operating system.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
