using System.Net;
using System.Text;
using MailGateway.Filters.Antivirus;
using MailGateway.Filters.Chain;
using MimeKit;

namespace MailGateway.Filters.Tests.Fuzz;

/// <summary>
/// Property-based fuzzing of everything that reads a message's MIME for a bounded time (MAILGW_FUZZ_SECONDS, default
/// 30): generated messages (nested multiparts, attachments, HTML, encodings), then mangled (bytes flipped, lines cut,
/// boundaries broken), must never make parsing, text and feature extraction, part decoding or the tolerant extractor
/// throw.
/// </summary>
public class MimeFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("MAILGW_FUZZ_SECONDS"), out var s) ? s : 30);

    [Fact]
    public async Task Mangled_messages_never_make_the_message_readers_throw()
    {
        var random = new Random(3464);
        var runs = 0;
        var deadline = DateTime.UtcNow + Budget;
        var extractor = new TolerantPartExtractor(new TolerantExtractionLimits(64, 4 * 1024 * 1024));
        while (DateTime.UtcNow < deadline)
        {
            var bytes = Mangle(random, Generate(random));
            await using var context = new MessageContext("fuzz", new MessageEnvelope("s", IPAddress.Loopback, "h", "a@b.test", ["c@d.test"]),
                () => new MemoryStream(bytes), bytes.Length);
            Assert.Null(await context.CheckMimeLimitsAsync(new MimeLimitsOptions { MaxParts = 100_000, MaxDepth = 100_000 },
                CancellationToken.None));
            var text = await context.GetVisibleTextAsync(CancellationToken.None);
            var features = await context.GetFeaturesAsync(CancellationToken.None);
            Assert.NotNull(text);
            Assert.True(features.Images.TextLength >= 0);
            if (await context.GetMimeMessageAsync(CancellationToken.None) is { } message)
            {
                foreach (var part in DecodedParts.Of(message).Take(16))
                {
                    await using var decoded = part.Content!.Open();
                    await decoded.CopyToAsync(Stream.Null);
                }

                _ = UnscannableContent.Find(message);
            }

            _ = extractor.Extract(bytes, []);
            runs++;
        }

        Assert.True(runs > 50, $"only {runs} messages in {Budget}");
    }

    private static byte[] Generate(Random random)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Fuzz", "fuzz@sender.test"));
        message.To.Add(new MailboxAddress("", "rcpt@example.org"));
        message.Subject = random.Next(3) == 0 ? "Grüße =?utf-8?b?w7w=?=" : "fuzz " + random.Next();
        message.Body = Entity(random, depth: 0);
        var buffer = new MemoryStream();
        message.WriteTo(buffer);
        return buffer.ToArray();
    }

    private static MimeEntity Entity(Random random, int depth)
    {
        switch (depth < 6 ? random.Next(5) : random.Next(3))
        {
            case 0:
                return new TextPart("plain") { Text = Words(random), ContentTransferEncoding = Encoding(random) };
            case 1:
                return new TextPart("html") { Text = $"<html><body><p>{Words(random)}</p><img src=\"http://x.test/a.png\"><script>x</script></body></html>" };
            case 2:
                var data = new byte[random.Next(0, 2000)];
                random.NextBytes(data);
                return new MimePart(random.Next(2) == 0 ? "image/png" : "application/zip")
                {
                    Content = new MimeContent(new MemoryStream(data)),
                    ContentTransferEncoding = Encoding(random),
                    FileName = "f" + random.Next() + ".bin",
                };
            case 3:
                var inner = new MimeMessage { Subject = "inner" };
                inner.Body = Entity(random, depth + 1);
                return new MessagePart { Message = inner };
            default:
                var multipart = new Multipart(random.Next(2) == 0 ? "mixed" : "alternative");
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    multipart.Add(Entity(random, depth + 1));
                }

                return multipart;
        }
    }

    private static ContentEncoding Encoding(Random random) =>
        new[] { ContentEncoding.Base64, ContentEncoding.QuotedPrintable, ContentEncoding.EightBit, ContentEncoding.UUEncode }[random.Next(4)];

    private static string Words(Random random) =>
        string.Join(' ', Enumerable.Range(0, random.Next(1, 60)).Select(_ => new[] { "free", "money", "hello", "ünïcode", "=3D", "--b", "begin 644 x" }[random.Next(7)]));

    private static byte[] Mangle(Random random, byte[] bytes)
    {
        var list = bytes.ToList();
        for (var i = random.Next(0, 12); i > 0 && list.Count > 0; i--)
        {
            var at = random.Next(list.Count);
            switch (random.Next(5))
            {
                case 0:
                    list[at] = (byte)random.Next(256);
                    break;
                case 1:
                    list.RemoveRange(at, Math.Min(list.Count - at, random.Next(1, 200)));
                    break;
                case 2:
                    list.InsertRange(at, Encoding8("\r\n--"));
                    break;
                case 3:
                    list.InsertRange(at, Encoding8("\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\n"));
                    break;
                default:
                    list.InsertRange(at, Enumerable.Repeat((byte)'=', random.Next(1, 5)));
                    break;
            }
        }

        return list.ToArray();
    }

    private static byte[] Encoding8(string s) => System.Text.Encoding.ASCII.GetBytes(s);
}
