using System.Net.Sockets;
using System.Text;

namespace MailGateway.Bench.SmtpBench;

/// <summary>Reads SMTP replies (multi-line included) from a socket and returns their codes; one per session thread.</summary>
internal sealed class ReplyReader
{
    private readonly byte[] _buffer = new byte[8192];
    private Socket? _socket;
    private int _start;
    private int _end;

    public void Reset(Socket socket)
    {
        _socket = socket;
        _start = _end = 0;
    }

    public string Read()
    {
        while (true)
        {
            var line = ReadLine();
            if (line.Length < 4 || line[3] != '-')
            {
                return line.Length >= 3 ? line[..3] : line;
            }
        }
    }

    private string ReadLine()
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

            var read = _socket!.Receive(_buffer.AsSpan(_end));
            if (read == 0)
            {
                throw new IOException("connection closed");
            }

            _end += read;
        }
    }
}
