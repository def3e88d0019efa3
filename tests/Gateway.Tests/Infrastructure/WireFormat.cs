namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>What an MTA does to a message file before DATA: every line end as CRLF, leading dots doubled.</summary>
public static class WireFormat
{
    /// <summary>The file's bytes with CR LF, lone CR and lone LF all turned into CRLF, ending in CRLF.</summary>
    public static byte[] NormalizeLineEnds(byte[] bytes)
    {
        var output = new List<byte>(bytes.Length + bytes.Length / 20 + 2);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b == '\r')
            {
                output.Add((byte)'\r');
                output.Add((byte)'\n');
                if (i + 1 < bytes.Length && bytes[i + 1] == '\n')
                {
                    i++;
                }
            }
            else if (b == '\n')
            {
                output.Add((byte)'\r');
                output.Add((byte)'\n');
            }
            else
            {
                output.Add(b);
            }
        }

        if (output.Count < 2 || output[^1] != '\n')
        {
            output.Add((byte)'\r');
            output.Add((byte)'\n');
        }

        return output.ToArray();
    }

    /// <summary>Dot-stuffs CRLF-normalized content and appends the end marker.</summary>
    public static byte[] Stuff(byte[] normalized)
    {
        var output = new List<byte>(normalized.Length + 16);
        var lineStart = true;
        foreach (var b in normalized)
        {
            if (lineStart && b == '.')
            {
                output.Add((byte)'.');
            }

            output.Add(b);
            lineStart = b == '\n';
        }

        output.AddRange(".\r\n"u8.ToArray());
        return output.ToArray();
    }
}
