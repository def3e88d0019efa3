namespace MailGateway.Filters.Antivirus;

/// <summary>
/// The possible originals of an unencoded binary body after SMTP's line-end canonicalisation, which turns every bare
/// CR and bare LF into CR LF: each CR LF may have been a CR, an LF or a CR LF. With few line breaks every combination
/// of CR and LF is tried (a small executable or archive must come out byte-exact for clamd to recognise it); with
/// more, only the uniform readings.
/// </summary>
/// <remarks>
/// Each reading is a full copy of the body, so the caller's budget is asked before each one is built: 65 copies of a
/// 4 MB body (260 MB) used to be made and then refused one by one.
/// </remarks>
public static class LineBreakReadings
{
    /// <summary>Line breaks up to which every CR/LF combination is produced (2^6 = 64 readings).</summary>
    public const int MaxCombinedLineBreaks = 6;

    /// <summary>The readings of <paramref name="body"/>, the body itself first.</summary>
    /// <param name="body">An unencoded part body as received.</param>
    /// <param name="hasRoomFor">
    /// Asked with a reading's length before it is built; the readings end at the first false. Null: no budget.
    /// </param>
    public static IEnumerable<byte[]> Of(ReadOnlyMemory<byte> body, Func<int, bool>? hasRoomFor = null)
    {
        hasRoomFor ??= _ => true;
        if (!hasRoomFor(body.Length))
        {
            yield break;
        }

        yield return body.ToArray();
        var breaks = Breaks(body.Span);
        var length = body.Length - breaks.Count;
        if (breaks.Count == 0)
        {
            yield break;
        }

        if (breaks.Count > MaxCombinedLineBreaks)
        {
            if (hasRoomFor(length))
            {
                yield return Replace(body.Span, breaks, _ => (byte)'\n');
            }

            if (hasRoomFor(length))
            {
                yield return Replace(body.Span, breaks, _ => (byte)'\r');
            }

            yield break;
        }

        for (var mask = 0; mask < 1 << breaks.Count && hasRoomFor(length); mask++)
        {
            var bits = mask;
            yield return Replace(body.Span, breaks, k => (bits & (1 << k)) != 0 ? (byte)'\r' : (byte)'\n');
        }
    }

    private static List<int> Breaks(ReadOnlySpan<byte> span)
    {
        var breaks = new List<int>();
        for (var i = span.IndexOf("\r\n"u8); i >= 0; i = NextBreak(span, i + 2))
        {
            breaks.Add(i);
        }

        return breaks;
    }

    private static int NextBreak(ReadOnlySpan<byte> span, int from)
    {
        var next = span[from..].IndexOf("\r\n"u8);
        return next < 0 ? -1 : from + next;
    }

    private static byte[] Replace(ReadOnlySpan<byte> span, List<int> breaks, Func<int, byte> reading)
    {
        var output = new byte[span.Length - breaks.Count];
        var from = 0;
        var to = 0;
        for (var k = 0; k < breaks.Count; k++)
        {
            span[from..breaks[k]].CopyTo(output.AsSpan(to));
            to += breaks[k] - from;
            output[to++] = reading(k);
            from = breaks[k] + 2;
        }

        span[from..].CopyTo(output.AsSpan(to));
        return output;
    }
}
