namespace MailGateway.Filters.Antivirus;

/// <summary>Lines of encoded data (slices of the message) joined into one array for a decoder.</summary>
internal static class ByteLines
{
    public static byte[] Concat(IReadOnlyList<ReadOnlyMemory<byte>> lines)
    {
        var bytes = new byte[lines.Sum(l => l.Length)];
        var at = 0;
        foreach (var line in lines)
        {
            line.Span.CopyTo(bytes.AsSpan(at));
            at += line.Length;
        }

        return bytes;
    }
}
