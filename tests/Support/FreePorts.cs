using System.Net;
using System.Net.Sockets;

namespace TrafficActors.Tests.Support;

/// <summary>
/// A loopback port nothing listens on right now, for servers a test starts later. Chosen below Linux's ephemeral
/// range (32768–60999): a port the kernel hands out for "any free port" can be taken by any outgoing connection
/// (Kafka clients, PostgreSQL, S3) between being chosen and the server binding it, which failed node starts with
/// "address already in use". A port is never handed out twice in one test run.
/// </summary>
internal static class FreePorts
{
    private const int First = 20000;
    private const int Last = 32000;
    private static readonly HashSet<int> Given = [];
    private static readonly Lock Gate = new();

    public static int Next()
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(First, Last);
                if (!Given.Contains(port) && IsFree(port))
                {
                    Given.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"no free loopback port between {First} and {Last}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
