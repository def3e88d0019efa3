using System.Security.Cryptography;

namespace MailGateway.Filters.Antivirus;

/// <summary>
/// Finds every encoded body a mail client might decode in a message, without trusting its MIME structure: broken
/// boundaries, hidden or duplicated Content-Transfer-Encoding headers and missing header/body separators make clamd,
/// MimeKit and the recipient's client see different parts. Instead of parsing, it looks at lines: every run of
/// base64-looking lines (decoded in each <see cref="LenientBase64"/> interpretation), every part body between lines
/// starting with "--" that has quoted-printable escapes (each <see cref="LenientQuotedPrintable"/> flavour), every
/// uuencoded run, and, inside a decoded message/rfc822, the same again. Identical results are returned once.
/// </summary>
/// <remarks>
/// Work is bounded by <see cref="TolerantExtractionLimits"/>: the caller passes at most a prefix of the message, and
/// extraction stops at a number of parts or decoded bytes. A message that declares no MIME at all (no Content-* or
/// MIME-Version line) gets uuencode detection only: no client decodes base64 or quoted-printable there, and plain
/// text must not cost a scan.
/// </remarks>
public sealed class TolerantPartExtractor(TolerantExtractionLimits limits)
{
    /// <summary>Decoded results shorter than this are not worth a scan (the EICAR test file alone is 68 bytes).</summary>
    public const int MinPartBytes = 32;

    private const int MaxDepth = 2;

    /// <summary>
    /// The distinct decoded bodies in <paramref name="message"/>, leaving out any whose SHA-256 is in
    /// <paramref name="alreadyScanned"/> (the parts MimeKit decoded and clamd has seen).
    /// </summary>
    public IReadOnlyList<TolerantPart> Extract(ReadOnlyMemory<byte> message, IEnumerable<byte[]>? alreadyScanned = null)
    {
        var found = new Collector(limits, alreadyScanned ?? []);
        Extract(message, found, depth: 0);
        return found.Parts;
    }

    private static void Extract(ReadOnlyMemory<byte> message, Collector found, int depth)
    {
        var lines = Lines(message);
        if (DeclaresMime(lines))
        {
            foreach (var run in Base64Runs(lines))
            {
                // Each interpretation is decoded only while anything more can be kept.
                var interpretations = found.HasRoomFor(MinPartBytes) ? LenientBase64.Interpretations(run.NonBlank) : [];
                foreach (var decoded in interpretations)
                {
                    if (found.Add("base64", decoded) && depth < MaxDepth && DeclaresMime(Lines(decoded)))
                    {
                        Extract(decoded, found, depth + 1);
                    }

                    if (!found.HasRoomFor(MinPartBytes))
                    {
                        break;
                    }
                }

                // Some clients start over after an empty line: junk before it must not shift the real data.
                if (run.Pieces.Count > 1)
                {
                    foreach (var piece in run.Pieces)
                    {
                        found.Add("base64", LenientBase64.DecodeRestartingAtPadding(ByteLines.Concat(piece)));
                    }
                }
            }

            foreach (var body in PartBodies(message))
            {
                if (IsBinary(body.Span))
                {
                    foreach (var reading in LineBreakReadings.Of(body, found.HasRoomFor))
                    {
                        found.Add("binary", reading);
                    }
                }
                else if (LenientQuotedPrintable.HasEscapes(body.Span))
                {
                    foreach (var flavour in LenientQuotedPrintable.Flavours)
                    {
                        found.Add("quoted-printable", LenientQuotedPrintable.Decode(body.Span, flavour));
                    }
                }
            }
        }

        foreach (var block in UuDecoder.Blocks(lines))
        {
            found.Add("uuencode", block);
        }

        foreach (var block in YEncDecoder.Blocks(lines))
        {
            found.Add("yenc", block);
        }
    }

    /// <summary>The message's lines without their CR LF, as slices of it.</summary>
    private static List<ReadOnlyMemory<byte>> Lines(ReadOnlyMemory<byte> message) =>
        LineRanges(message.Span).Select(r => message[r]).ToList();

    private static List<Range> LineRanges(ReadOnlySpan<byte> message)
    {
        var ranges = new List<Range>();
        var start = 0;
        while (start < message.Length)
        {
            var end = message[start..].IndexOf((byte)'\n');
            var next = end < 0 ? message.Length : start + end + 1;
            var stop = end < 0 ? message.Length : start + end;
            if (stop > start && message[stop - 1] == (byte)'\r')
            {
                stop--;
            }

            ranges.Add(start..stop);
            start = next;
        }

        return ranges;
    }

    private static List<ReadOnlyMemory<byte>> Lines(byte[] decoded) => Lines(decoded.AsMemory());

    private static bool DeclaresMime(List<ReadOnlyMemory<byte>> lines)
    {
        foreach (var line in lines)
        {
            var span = line.Span.TrimStart(" \t\v\f"u8);
            if (StartsWithIgnoreCase(span, "content-"u8) || StartsWithIgnoreCase(span, "mime-version"u8))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Runs of base64-looking lines; empty lines inside a run are kept as piece separators rather than ending it,
    /// because clients differ on whether an empty line ends the data.
    /// </summary>
    private static IEnumerable<Base64Run> Base64Runs(List<ReadOnlyMemory<byte>> lines)
    {
        var pieces = new List<List<ReadOnlyMemory<byte>>> { new() };
        foreach (var line in lines)
        {
            var trimmed = Trim(line);
            if (LooksLikeBase64(trimmed.Span) && !IsFoldedHeaderLine(line.Span))
            {
                pieces[^1].Add(trimmed);
            }
            else if (trimmed.IsEmpty)
            {
                if (pieces[^1].Count > 0)
                {
                    pieces.Add(new List<ReadOnlyMemory<byte>>());
                }
            }
            else
            {
                if (pieces.Any(p => p.Count > 0))
                {
                    yield return new Base64Run(pieces.Where(p => p.Count > 0).ToList());
                }

                pieces = [new List<ReadOnlyMemory<byte>>()];
            }
        }

        if (pieces.Any(p => p.Count > 0))
        {
            yield return new Base64Run(pieces.Where(p => p.Count > 0).ToList());
        }
    }

    /// <summary>
    /// A body sent unencoded with bytes no text has (NUL, most C0 controls): clamd's MIME parser reads such a part as
    /// text, a client saves it as the file it is.
    /// </summary>
    private static bool IsBinary(ReadOnlySpan<byte> body) =>
        body.IndexOfAnyInRange((byte)0x00, (byte)0x08) >= 0 || body.IndexOfAnyInRange((byte)0x0E, (byte)0x1A) >= 0;

    /// <summary>
    /// Base64 digits and '=' with at most one character in eight of junk, or junk of a single kind ("U#E#s#D#")
    /// (decoders skip it, and hiding tricks insert it), no blanks and no header name: a uuencoded or text line has
    /// far more, and more varied, punctuation.
    /// </summary>
    private static bool LooksLikeBase64(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty || !(LenientBase64.IsDigit(line[0]) || line[0] == (byte)'=') || line.IndexOfAny(" \t"u8) >= 0
            || IsHeaderLine(line))
        {
            return false;
        }

        var junk = 0;
        byte firstJunk = 0;
        var oneKindOfJunk = true;
        foreach (var b in line)
        {
            if (!LenientBase64.IsDigit(b) && b != (byte)'=')
            {
                firstJunk = junk++ == 0 ? b : firstJunk;
                oneKindOfJunk &= b == firstJunk;
            }
        }

        return junk <= line.Length / 8 || oneKindOfJunk;
    }

    /// <summary>A header continuation such as "\tfilename=\"x.jpg\"": starts with blanks and has a '"' or ';'.</summary>
    private static bool IsFoldedHeaderLine(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[0] is (byte)' ' or (byte)'\t' && line.IndexOfAny("\";"u8) >= 0;

    /// <summary>"Name:" at the start of a line, as in a header field (a base64 line has no ':').</summary>
    private static bool IsHeaderLine(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        foreach (var b in line[..colon])
        {
            if (b is <= 0x20 or >= 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Each stretch between lines starting with "--" (any boundary candidate), without its header block when it has
    /// one and without the line break that belongs to the next boundary.
    /// </summary>
    private static IEnumerable<ReadOnlyMemory<byte>> PartBodies(ReadOnlyMemory<byte> message)
    {
        var ranges = LineRanges(message.Span);
        var start = 0;
        var bodyStart = -1;
        for (var i = 0; i <= ranges.Count; i++)
        {
            if (i == ranges.Count || message.Span[ranges[i]].StartsWith("--"u8))
            {
                if (i > start)
                {
                    var from = bodyStart >= 0 && bodyStart < i ? bodyStart : start;
                    yield return message[ranges[from].Start..ranges[i - 1].End];
                }

                start = i + 1;
                bodyStart = -1;
            }
            else if (bodyStart < 0 && Trim(message[ranges[i]]).IsEmpty)
            {
                bodyStart = i + 1;
            }
        }
    }

    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> line)
    {
        var span = line.Span;
        var start = 0;
        var end = span.Length;
        while (start < end && span[start] is (byte)' ' or (byte)'\t' or (byte)'\v' or (byte)'\f' or (byte)'\r')
        {
            start++;
        }

        while (end > start && span[end - 1] is (byte)' ' or (byte)'\t' or (byte)'\v' or (byte)'\f' or (byte)'\r')
        {
            end--;
        }

        return line[start..end];
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> span, ReadOnlySpan<byte> lowerPrefix)
    {
        if (span.Length < lowerPrefix.Length)
        {
            return false;
        }

        for (var i = 0; i < lowerPrefix.Length; i++)
        {
            if ((span[i] | 0x20) != lowerPrefix[i] && span[i] != lowerPrefix[i])
            {
                return false;
            }
        }

        return true;
    }

    private sealed record Base64Run(List<List<ReadOnlyMemory<byte>>> Pieces)
    {
        public List<ReadOnlyMemory<byte>> NonBlank => Pieces.SelectMany(p => p).ToList();
    }

    /// <summary>The parts found so far, each distinct content once, within the limits.</summary>
    private sealed class Collector(TolerantExtractionLimits limits, IEnumerable<byte[]> alreadyScanned)
    {
        private readonly HashSet<string> _scanned = alreadyScanned.Select(Convert.ToBase64String).ToHashSet(StringComparer.Ordinal);
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private long _decodedBytes;

        public List<TolerantPart> Parts { get; } = new();

        /// <summary>
        /// Whether a result of <paramref name="length"/> bytes could still be kept: asked before a result is built, so
        /// that work over the limits is not done only to be refused.
        /// </summary>
        public bool HasRoomFor(int length) =>
            length >= MinPartBytes && Parts.Count < limits.MaxParts && _decodedBytes + length <= limits.MaxDecodedBytes;

        /// <summary>
        /// Adds a decoded result unless clamd has seen it already; false when it is too small, found before in this
        /// message or over the limits (true for a part only MimeKit's pass scanned, so that it is still searched).
        /// </summary>
        public bool Add(string method, byte[] content)
        {
            if (content.Length < MinPartBytes
                || Parts.Count >= limits.MaxParts
                || _decodedBytes + content.Length > limits.MaxDecodedBytes)
            {
                return false;
            }

            var hash = Convert.ToBase64String(SHA256.HashData(content));
            if (!_seen.Add(hash))
            {
                return false;
            }

            if (!_scanned.Contains(hash))
            {
                _decodedBytes += content.Length;
                Parts.Add(new TolerantPart(method, content));
            }

            return true;
        }
    }
}
