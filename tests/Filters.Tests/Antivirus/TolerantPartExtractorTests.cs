using System.Security.Cryptography;
using System.Text;
using MailGateway.Filters.Antivirus;

namespace MailGateway.Filters.Tests.Antivirus;

public sealed class TolerantPartExtractorTests
{
    private static readonly TolerantPartExtractor Extractor = new(new TolerantExtractionLimits(256, 16 * 1024 * 1024));

    [Fact]
    public void Plain_text_without_mime_gives_nothing_to_scan()
    {
        // Lines of one letter look like base64, but no client decodes base64 in a message that declares no MIME.
        var body = string.Concat(Enumerable.Range(0, 100).Select(i => $"{i % 10}{new string('X', 77)}\r\n"));
        var message = Message("From: a@example.org\r\nSubject: plain\r\n\r\n" + body);

        Assert.Empty(Extractor.Extract(message));
    }

    [Fact]
    public void Base64_under_a_boundary_that_was_never_declared_is_found()
    {
        var payload = TestMessages.Eicar;
        var message = Message(
            "From: a@example.org\r\nMime-Version: 1.0\r\nContent-Type: multipart/mixed; boundary*0=\"real\"; boundary=\"decoy\"\r\n\r\n"
            + "--real\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Convert.ToBase64String(payload, Base64FormattingOptions.InsertLineBreaks) + "\r\n--real--\r\n");

        var parts = Extractor.Extract(message);

        Assert.Contains(parts, p => p.Method == "base64" && p.Content.AsSpan().SequenceEqual(payload));
    }

    [Fact]
    public void Quoted_printable_with_invalid_escapes_is_decoded_the_way_a_client_reads_it()
    {
        var payload = TestMessages.Eicar;
        var encoded = string.Concat(payload.Select(b => $"=0X={b:X2}=\r\n"));
        var message = Message(
            "Mime-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
            + "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + encoded + "\r\n--b--\r\n");

        var parts = Extractor.Extract(message);

        Assert.Contains(parts, p => p.Method == "quoted-printable" && p.Content.AsSpan().SequenceEqual(payload));
    }

    [Fact]
    public void A_message_rfc822_in_base64_is_searched_inside()
    {
        var inner = "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                    + Convert.ToBase64String(TestMessages.Eicar) + "\r\n";
        var message = Message(
            "Mime-Version: 1.0\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Convert.ToBase64String(Encoding.ASCII.GetBytes(inner), Base64FormattingOptions.InsertLineBreaks) + "\r\n");

        var parts = Extractor.Extract(message);

        Assert.Contains(parts, p => p.Content.AsSpan().SequenceEqual(TestMessages.Eicar));
    }

    [Fact]
    public void A_body_clamd_has_already_seen_is_left_out()
    {
        var payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var message = Message("Mime-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                              + Convert.ToBase64String(payload, Base64FormattingOptions.InsertLineBreaks) + "\r\n");

        Assert.Single(Extractor.Extract(message));
        Assert.Empty(Extractor.Extract(message, [SHA256.HashData(payload)]));
    }

    [Fact]
    public void Extraction_stops_at_the_part_limit()
    {
        var runs = string.Concat(Enumerable.Range(0, 50).Select(i =>
            $"--b\r\n\r\n{Convert.ToBase64String(Encoding.ASCII.GetBytes($"part {i} with enough bytes to be worth a scan"))}\r\n"));
        var message = Message("Mime-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" + runs + "--b--\r\n");

        var limited = new TolerantPartExtractor(new TolerantExtractionLimits(MaxParts: 10, MaxDecodedBytes: 1 << 20));

        Assert.Equal(10, limited.Extract(message).Count);
        Assert.Equal(50, Extractor.Extract(message).Count);
    }

    [Fact]
    public void A_binary_body_with_six_line_breaks_allocates_within_the_decoded_byte_budget()
    {
        // Issue 21 item 9: an unencoded 4 MB body with NULs and six CR LFs has 1 + 64 line-break readings, each a full
        // copy; they used to be built before the collector refused them (about 260 MB per message).
        var limits = new TolerantExtractionLimits(MaxParts: 256, MaxDecodedBytes: 16 * 1024 * 1024);
        var message = CraftedBinaryMessage(4 * 1024 * 1024, lineBreaks: 6);
        var extractor = new TolerantPartExtractor(limits);
        extractor.Extract(message.AsMemory(0, 4096)); // JIT and first-use allocations out of the measurement

        var before = GC.GetAllocatedBytesForCurrentThread();
        var parts = extractor.Extract(message);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // What is kept fills the budget (4 readings of about 4 MB), and what is allocated is that plus bookkeeping.
        Assert.Equal(4, parts.Count(p => p.Method == "binary"));
        Assert.True(allocated < limits.MaxDecodedBytes + 2L * message.Length,
            $"allocated {allocated / (1024 * 1024)} MB for a {message.Length / (1024 * 1024)} MB message");
    }

    [Fact]
    public void The_line_break_readings_are_the_same_with_and_without_a_budget_that_is_large_enough()
    {
        var message = CraftedBinaryMessage(4096, lineBreaks: 6);
        var unbounded = new TolerantPartExtractor(new TolerantExtractionLimits(1000, long.MaxValue)).Extract(message);
        var bounded = new TolerantPartExtractor(new TolerantExtractionLimits(1000, 16 * 1024 * 1024)).Extract(message);

        Assert.Equal(65, unbounded.Count);
        Assert.Equal(unbounded.Select(p => Convert.ToHexString(p.Content)), bounded.Select(p => Convert.ToHexString(p.Content)));
    }

    /// <summary>A multipart message whose one part is unencoded binary (NUL bytes) with CR LFs spread through it.</summary>
    private static byte[] CraftedBinaryMessage(int bodyBytes, int lineBreaks)
    {
        var head = Encoding.ASCII.GetBytes("Mime-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                                           + "Content-Type: application/octet-stream\r\n\r\n");
        var body = new byte[bodyBytes];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = (byte)(i % 7 == 0 ? 0 : i % 11 == 0 ? 1 : 'A' + i % 26); // two kinds of junk: not base64-looking
        }

        for (var k = 1; k <= lineBreaks; k++)
        {
            var at = body.Length / (lineBreaks + 1) * k;
            body[at] = (byte)'\r';
            body[at + 1] = (byte)'\n';
        }

        return [.. head, .. body, .. "\r\n--b--\r\n"u8];
    }

    private static ReadOnlyMemory<byte> Message(string text) => Encoding.Latin1.GetBytes(text);
}
