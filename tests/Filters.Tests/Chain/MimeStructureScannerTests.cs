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
    public void Boundary_like_lines_in_a_single_part_body_count_only_towards_the_dash_line_bound()
    {
        var body = string.Concat(Enumerable.Repeat("--b\r\nlooks like a boundary, is text\r\n", 20_000));
        var bytes = Bytes($"Subject: one part\r\nContent-Type: text/plain\r\n\r\n{body}");

        var generous = Scan(bytes, maxParts: 10_000, maxDepth: 100);
        var strict = Scan(bytes, maxParts: 1_000, maxDepth: 100);

        Assert.Equal((1, false), (generous.Parts, generous.Exceeded));
        Assert.Equal((1, true), (strict.Parts, strict.Exceeded));
    }

    /// <summary>Structures a MIME parser may read differently: the count must never fall below MimeKit's.</summary>
    public static TheoryData<string, string> Disputed => new()
    {
        { "rfc2231-boundary", "Content-Type: multipart/mixed; boundary*=us-ascii''b\r\n\r\n" },
        { "escaped-quoted-boundary", "Content-Type: multipart/mixed; boundary=\"\\b\"\r\n\r\n" },
        { "two-content-types", "Content-Type: text/plain\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" },
        { "two-content-types-reversed", "Content-Type: multipart/mixed; boundary=b\r\nContent-Type: text/plain\r\n\r\n" },
        { "no-blank-line", "Content-Type: multipart/mixed; boundary=b\r\n" },
        { "space-in-header-name-before", "X-Odd Name: v\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" },
        { "space-before-colon", "Content-Type : multipart/mixed; boundary=b\r\n\r\n" },
        { "folded-boundary", "Content-Type: multipart/mixed;\r\n\tboundary=\r\n b\r\n\r\n" },
        { "uppercase", "CONTENT-TYPE: MULTIPART/MIXED; BOUNDARY=b\r\n\r\n" },
        { "no-boundary", "Content-Type: multipart/mixed\r\n\r\n" },
        { "line-without-colon-before", "garbage line\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" },
        { "8bit-header-name-before", "X-\u00d6dd: v\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" },
        { "colon-first-before", ": v\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" },
        { "from-line-before", "From someone Mon Jan  1 00:00:00 2024\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" },
        { "message-news", "Content-Type: message/news\r\n\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" },
        { "message-rfc822", "Content-Type: message/rfc822\r\n\r\nSubject: in\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(Disputed))]
    public void The_count_is_never_below_what_mimekit_builds(string name, string header)
    {
        var parts = string.Concat(Enumerable.Repeat("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n", 50));
        var bytes = Encoding.Latin1.GetBytes("Subject: disputed\r\nMIME-Version: 1.0\r\n" + header + parts + "--b--\r\n");

        using var message = MimeMessage.Load(new MemoryStream(bytes));
        var scanner = Scan(bytes, 10_000, 100);

        Assert.True(scanner.Parts >= 1 + Entities(message.Body), $"{name}: counted {scanner.Parts}, MimeKit built {1 + Entities(message.Body)}");
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
