using System.Net.Sockets;
using System.Text;

namespace MailGateway.Bench.SmtpBench;

/// <summary>One message per connection: banner, EHLO, pipelined MAIL/RCPT/DATA, the payload, QUIT.</summary>
internal sealed class SmtpSender(string host, int port, string recipient)
{
    private readonly byte[] _ehlo = Encoding.ASCII.GetBytes("EHLO bench.sender.test\r\n");
    private readonly byte[] _envelope = Encoding.ASCII.GetBytes($"MAIL FROM:<bench@sender.test>\r\nRCPT TO:<{recipient}>\r\nDATA\r\n");
    private readonly byte[] _quit = Encoding.ASCII.GetBytes("QUIT\r\n");

    /// <summary>Sends one message; returns the reply code to the end of DATA (or the first refusal).</summary>
    public async Task<string> SendAsync(byte[] payload, CancellationToken cancellationToken)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(host, port, cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = new ReplyReader(stream);
        if (await reader.ReadAsync(cancellationToken) != "220")
        {
            return "banner";
        }

        await stream.WriteAsync(_ehlo, cancellationToken);
        if (await reader.ReadAsync(cancellationToken) != "250")
        {
            return "ehlo";
        }

        await stream.WriteAsync(_envelope, cancellationToken);
        var mail = await reader.ReadAsync(cancellationToken);
        var rcpt = await reader.ReadAsync(cancellationToken);
        var data = await reader.ReadAsync(cancellationToken);
        if (data != "354")
        {
            return mail != "250" ? "mail-" + mail : rcpt != "250" ? "rcpt-" + rcpt : "data-" + data;
        }

        await stream.WriteAsync(payload, cancellationToken);
        var final = await reader.ReadAsync(cancellationToken);
        await stream.WriteAsync(_quit, cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return final;
    }

    /// <summary>Reads SMTP replies (multi-line included) and returns their codes.</summary>
    private sealed class ReplyReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[8192];
        private int _start;
        private int _end;

        public async Task<string> ReadAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var line = await ReadLineAsync(cancellationToken);
                if (line.Length < 4 || line[3] != '-')
                {
                    return line.Length >= 3 ? line[..3] : line;
                }
            }
        }

        private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (lf >= 0)
                {
                    var line = Encoding.ASCII.GetString(_buffer, _start, lf - _start).TrimEnd('\r');
                    _start = lf + 1;
                    return line;
                }

                if (_start > 0)
                {
                    Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }

                var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
                if (read == 0)
                {
                    throw new IOException("connection closed");
                }

                _end += read;
            }
        }
    }
}
