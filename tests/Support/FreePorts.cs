using System.Net;
using System.Net.Sockets;

namespace TrafficActors.Tests.Support;

/// <summary>A loopback port nothing listens on right now, for servers a test starts.</summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
