using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailGateway.Bench.SmtpBench;

/// <summary>
/// One message per connection: banner, EHLO, pipelined MAIL/RCPT/DATA, the payload, QUIT. Blocking socket calls on
/// the session's own thread, as smtp-source does with its event loop: the load generator shares the cores with the
/// server under test, and async socket I/O costs it an epoll hop and a thread-pool dispatch per reply.
/// </summary>
internal sealed class SmtpSender(int port, string recipient)
{
    private readonly IPEndPoint _endPoint = new(IPAddress.Loopback, port);
    private readonly byte[] _ehlo = Encoding.ASCII.GetBytes("EHLO bench.sender.test\r\n");
    private readonly byte[] _envelope = Encoding.ASCII.GetBytes($"MAIL FROM:<bench@sender.test>\r\nRCPT TO:<{recipient}>\r\nDATA\r\n");
    private readonly byte[] _quit = Encoding.ASCII.GetBytes("QUIT\r\n");

    /// <summary>Sends one message; returns the reply code to the end of DATA (or the first refusal).</summary>
    public string Send(byte[] payload, ReplyReader reader)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(_endPoint);
        reader.Reset(socket);
        if (reader.Read() != "220")
        {
            return "banner";
        }

        socket.Send(_ehlo);
        if (reader.Read() != "250")
        {
            return "ehlo";
        }

        socket.Send(_envelope);
        var mail = reader.Read();
        var rcpt = reader.Read();
        var data = reader.Read();
        if (data != "354")
        {
            return mail != "250" ? "mail-" + mail : rcpt != "250" ? "rcpt-" + rcpt : "data-" + data;
        }

        socket.Send(payload);
        var final = reader.Read();
        socket.Send(_quit);
        reader.Read();
        return final;
    }
}
