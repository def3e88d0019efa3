using System.Text;
using MailGateway.Filters.Chain;
using MimeKit;

namespace MailGateway.Filters.Tests.Chain;

public sealed class MimeStructureScannerTests
{
    private const string Nested = """
        Subject: nested
        MIME-Version: 1.0
        Content-Type: multipart/mixed;
         boundary="outer"

        preamble
        --outer
        Content-Type: text/plain

        one
        --outer
        Content-Type: multipart/alternative; boundary=inner

        --inner
        Content-Type: text/plain

        --outer-not-a-boundary
        --inner
        Content-Type: text/html

        <p>three</p>
        --inner--
        --outer
        Content-Type: message/rfc822

        Subject: inside
        Content-Type: multipart/mixed; boundary=deep

        --deep
        Content-Type: text/plain

        deep
        --deep--
        --outer--
        epilogue

        """;

    [Fact]
    public void Parts_and_depth_are_counted_as_mimekit_builds_them()
    {
        var bytes = Bytes(Nested);
        var scanner = Scan(bytes, 1000, 100);

        using var message = MimeMessage.Load(new MemoryStream(bytes));
        var entities = 1 + Entities(message.Body);
        Assert.Equal(entities, scanner.Parts);
        Assert.Equal(3, scanner.Depth); // outer, the embedded message, deep
        Assert.False(scanner.Exceeded);
    }

    [Fact]
    public void The_count_does_not_depend_on_how_the_bytes_arrive()
    {
        var bytes = Bytes(Nested);
        var whole = Scan(bytes, 1000, 100);
        for (var chunk = 1; chunk < 40; chunk++)
        {
            var scanner = new MimeStructureScanner(1000, 100);
            for (var at = 0; at < bytes.Length; at += chunk)
            {
                scanner.Feed(bytes.AsSpan(at, Math.Min(chunk, bytes.Length - at)));
            }

            scanner.Complete();
            Assert.Equal((whole.Parts, whole.Depth), (scanner.Parts, scanner.Depth));
        }
    }

    [Fact]
    public async Task Over_the_part_limit_it_stops_reading()
    {
        var stream = new MemoryStream(ManyParts(100_000));
        var scanner = await MimeStructureScanner.ScanAsync(stream, maxParts: 1000, maxDepth: 100, CancellationToken.None);

        Assert.True(scanner.Exceeded);
        Assert.Equal(1001, scanner.Parts);
        Assert.True(stream.Position < stream.Length / 10, $"read {stream.Position} of {stream.Length} bytes");
    }

    [Fact]
    public async Task A_single_part_message_is_read_only_up_to_the_end_of_its_header()
    {
        var body = string.Concat(Enumerable.Repeat("--b\r\nlooks like a boundary, is text\r\n", 50_000));
        var stream = new MemoryStream(Bytes($"Subject: one part\r\nContent-Type: text/plain\r\n\r\n{body}"));

        var scanner = await MimeStructureScanner.ScanAsync(stream, maxParts: 1000, maxDepth: 100, CancellationToken.None);

        Assert.Equal((1, 0, true), (scanner.Parts, scanner.Depth, scanner.Finished));
        Assert.True(stream.Position < stream.Length / 10, $"read {stream.Position} of {stream.Length} bytes");
    }

    [Fact]
    public void Over_the_depth_limit_is_exceeded()
    {
        var sb = new StringBuilder("Subject: deep\r\n");
        for (var i = 0; i < 150; i++)
        {
            sb.Append($"Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n");
        }

        sb.Append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        var scanner = Scan(Bytes(sb.ToString()), 10_000, 100);

        Assert.True(scanner.Exceeded);
        Assert.Equal(101, scanner.Depth);
    }

    [Fact]
    public void A_line_longer_than_the_prefix_kept_is_one_line()
    {
        var text = "Subject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n" + new string('y', 100_000)
                   + "--b\r\n\r\nz\r\n--b--\r\n";
        var scanner = Scan(Bytes(text), 1000, 100);

        Assert.Equal(2, scanner.Parts);
    }

    internal static byte[] ManyParts(int parts)
    {
        var sb = new StringBuilder("From: a@b.test\r\nSubject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n");
        for (var i = 0; i < parts; i++)
        {
            sb.Append("--b\r\nContent-Type: text/plain\r\n\r\npart\r\n");
        }

        sb.Append("--b--\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    private static MimeStructureScanner Scan(byte[] bytes, int maxParts, int maxDepth)
    {
        var scanner = new MimeStructureScanner(maxParts, maxDepth);
        scanner.Feed(bytes);
        scanner.Complete();
        return scanner;
    }

    private static int Entities(MimeEntity? entity) => entity switch
    {
        Multipart multipart => multipart.Sum(child => 1 + Entities(child)),
        MessagePart { Message: { } inner } => 1 + Entities(inner.Body),
        _ => 0,
    };

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text.ReplaceLineEndings("\r\n"));
}
