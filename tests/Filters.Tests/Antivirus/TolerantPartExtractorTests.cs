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

    private static ReadOnlyMemory<byte> Message(string text) => Encoding.Latin1.GetBytes(text);
}
