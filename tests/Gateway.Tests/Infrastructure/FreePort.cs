using System.Net;
using System.Net.Sockets;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>
/// A loopback TCP port nobody listens on right now, for a server a test starts. Two rules keep a port picked but not
/// yet bound (a gateway still starting, a downstream between stop and restart) from being taken by anything else:
/// <list type="bullet">
/// <item>it comes from <see cref="First"/>..<see cref="Last"/>, below Linux's default ephemeral range (32768..60999), so no
/// client connection's source port and no other program's <c>bind(0)</c> lands on it; Filters.Tests, which runs beside
/// this project, picks from a range of its own;</item>
/// <item>this test process never hands the same port out twice.</item>
/// </list>
/// </summary>
public static class FreePort
{
    public const int First = 20_000;
    public const int Last = 29_999;

    private static readonly HashSet<int> HandedOut = new();

    public static int Next()
    {
        lock (HandedOut)
        {
            for (var tries = 0; tries < 1_000; tries++)
            {
                var port = Random.Shared.Next(First, Last + 1);
                if (!HandedOut.Contains(port) && CanBind(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"no free loopback port in {First}..{Last} after 1,000 tries");
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
