using System.Text;

namespace MailGateway.Bench.SmtpBench;

/// <summary>Message files read once into DATA payloads: CRLF line ends, dot-stuffed, ending with CRLF.CRLF.</summary>
internal static class MessageFiles
{
    public static List<byte[]> Load(IEnumerable<string> directories, int maxFiles)
    {
        var files = directories
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => !Path.GetFileName(f).StartsWith('.') && !Path.GetFileName(f).Equals("cmds", StringComparison.Ordinal)
                        && !Path.GetFileName(f).StartsWith("README", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        // Spread the pick evenly over the whole sorted list, so every folder (spam and ham) is represented in proportion.
        var take = Math.Min(maxFiles, files.Count);
        return Enumerable.Range(0, take).Select(k => files[(int)((long)k * files.Count / take)])
            .Select(f => ToPayload(File.ReadAllBytes(f))).ToList();
    }

    private static byte[] ToPayload(byte[] raw)
    {
        var output = new MemoryStream(raw.Length + 1024);
        var lineStart = true;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (lineStart && b == (byte)'.')
            {
                output.WriteByte((byte)'.');
            }

            if (b == (byte)'\n')
            {
                if (i == 0 || raw[i - 1] != (byte)'\r')
                {
                    output.WriteByte((byte)'\r');
                }

                output.WriteByte(b);
                lineStart = true;
                continue;
            }

            if (b == (byte)'\r' && (i + 1 >= raw.Length || raw[i + 1] != (byte)'\n'))
            {
                output.Write("\r\n"u8);
                lineStart = true;
                continue;
            }

            output.WriteByte(b);
            lineStart = false;
        }

        if (!lineStart)
        {
            output.Write("\r\n"u8);
        }

        output.Write(Encoding.ASCII.GetBytes(".\r\n"));
        return output.ToArray();
    }
}
