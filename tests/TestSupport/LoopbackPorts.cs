using System.Net;
using System.Net.Sockets;

namespace MailGateway.TestSupport;

/// <summary>
/// Loopback TCP ports nobody listens on right now, for servers a test starts. Two rules keep a port picked but not yet
/// bound (a gateway or clamd still starting, a downstream between stop and restart) from being taken by anything else:
/// <list type="bullet">
/// <item>it comes from a range below Linux's default ephemeral range (32768..60999), so no client connection's source
/// port and no other program's <c>bind(0)</c> lands on it; test projects that run side by side use ranges of their own;</item>
/// <item>this test process never hands the same port out twice.</item>
/// </list>
/// </summary>
public sealed class LoopbackPorts(int first, int last)
{
    private readonly HashSet<int> _handedOut = new();

    public int Next()
    {
        lock (_handedOut)
        {
            for (var tries = 0; tries < 1_000; tries++)
            {
                var port = Random.Shared.Next(first, last + 1);
                if (!_handedOut.Contains(port) && CanBind(port))
                {
                    _handedOut.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"no free loopback port in {first}..{last} after 1,000 tries");
    }

    private static bool CanBind(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
