using System.Buffers;
using System.Text;
using MailGateway.Gateway.Messages;
using MailGateway.Gateway.Smtp;

namespace MailGateway.Gateway.Tests.Smtp;

/// <summary>
/// Property-based fuzzing of the SMTP parsers for a bounded time (MAILGW_FUZZ_SECONDS, default 30 per property):
/// random and mutated inputs must never make them throw anything unexpected, and the DATA decoder must give the same
/// result however the bytes are split, and must undo dot-stuffing exactly.
/// </summary>
public class SmtpParserFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("MAILGW_FUZZ_SECONDS"), out var s) ? s : 30);

    private static readonly string[] Seeds =
    [
        "FROM:<a@b.test> SIZE=100 BODY=8BITMIME SMTPUTF8", "TO:<@r.test,@s.test:bob@example.org>", "FROM:<>",
        "TO:<\"john \\\" doe\"@example.org>", "TO:<user%evil.test@example.org>", "FROM:<jörg@bücher.test> SMTPUTF8",
        "TO:<x@[192.0.2.1]>", "TO:<x@[IPv6:2001:db8::1]>", "TO:<Postmaster>",
    ];

    private static string Mutate(Random random, string seed)
    {
        var chars = seed.ToList();
        var edits = random.Next(1, 6);
        const string alphabet = "<>@\"\\:.,%!= []\t\r\n\0éA1-_/";
        for (var i = 0; i < edits; i++)
        {
            var at = chars.Count == 0 ? 0 : random.Next(chars.Count);
            switch (random.Next(3))
            {
                case 0 when chars.Count > 0:
                    chars.RemoveAt(at);
                    break;
                case 1:
                    chars.Insert(at, alphabet[random.Next(alphabet.Length)]);
                    break;
                default:
                    if (chars.Count > 0)
                    {
                        chars[at] = (char)random.Next(1, 0x3000);
                    }

                    break;
            }
        }

        return new string(chars.ToArray());
    }

    [Fact]
    public void Mail_and_rcpt_arguments_never_throw()
    {
        var random = new Random(20261125);
        var runs = 0;
        var deadline = DateTime.UtcNow + Budget;
        while (DateTime.UtcNow < deadline)
        {
            var input = Mutate(random, Seeds[random.Next(Seeds.Length)]);
            var keyword = input.StartsWith("TO", StringComparison.OrdinalIgnoreCase) ? "TO" : "FROM";
            if (MailParameters.TrySplit(input, keyword, out var path, out _, out var error))
            {
                var parsed = MailPath.TryParse(path, "example.org", keyword == "TO", out var why);
                Assert.True(parsed is not null || why.Length > 0, $"no reason for refusing '{path}'");
                if (parsed is not null)
                {
                    Assert.DoesNotContain('/', parsed.MailboxKey);
                    Assert.DoesNotContain('\0', parsed.MailboxKey);
                    _ = parsed.AsciiDomain;
                }
            }
            else
            {
                Assert.NotEmpty(error);
            }

            runs++;
        }

        Assert.True(runs > 1000, $"only {runs} inputs in {Budget}");
    }

    [Fact]
    public void Data_decoding_is_independent_of_how_the_bytes_are_split_and_undoes_dot_stuffing()
    {
        var random = new Random(5321);
        var runs = 0;
        var deadline = DateTime.UtcNow + Budget;
        byte[] alphabet = "..\r\n\r\n.ab \0\u00ff"u8.ToArray();
        while (DateTime.UtcNow < deadline)
        {
            var body = new byte[random.Next(0, 300)];
            for (var i = 0; i < body.Length; i++)
            {
                body[i] = alphabet[random.Next(alphabet.Length)];
            }

            var wire = body.Concat("\r\n.\r\n"u8.ToArray()).ToArray();
            var whole = Decode(wire, [wire.Length]);
            var pieces = new List<int>();
            for (var left = wire.Length; left > 0;)
            {
                var n = Math.Min(left, random.Next(1, 8));
                pieces.Add(n);
                left -= n;
            }

            var split = Decode(wire, pieces);
            Assert.Equal(whole.Output, split.Output);
            Assert.Equal(whole.Consumed, split.Consumed);

            // Round trip: a well-formed CRLF message, dot-stuffed, decodes back to itself.
            var lines = Enumerable.Range(0, random.Next(0, 8))
                .Select(_ => new string(Enumerable.Range(0, random.Next(0, 6)).Select(_ => ".ab x"[random.Next(5)]).ToArray()));
            var message = string.Concat(lines.Select(l => l + "\r\n"));
            var stuffed = string.Concat(message.Split("\r\n")[..^1].Select(l => (l.StartsWith('.') ? "." + l : l) + "\r\n")) + ".\r\n";
            var decoded = Decode(Encoding.ASCII.GetBytes(stuffed), [stuffed.Length]);
            Assert.Equal(message, Encoding.ASCII.GetString(decoded.Output));
            Assert.Equal(stuffed.Length, decoded.Consumed);
            runs++;
        }

        Assert.True(runs > 1000, $"only {runs} inputs in {Budget}");
    }

    [Fact]
    public void Proxy_headers_either_parse_or_are_refused_with_invalid_data()
    {
        var random = new Random(2920);
        var runs = 0;
        var deadline = DateTime.UtcNow + Budget;
        byte[][] seeds =
        [
            "PROXY TCP4 192.0.2.1 198.51.100.2 1234 25\r\n"u8.ToArray(),
            [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0x00, 0x0C, 192, 0, 2, 1, 127, 0, 0, 1, 4, 210, 0, 25],
        ];
        while (DateTime.UtcNow < deadline)
        {
            var bytes = seeds[random.Next(seeds.Length)].ToArray();
            for (var i = random.Next(1, 4); i > 0; i--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            bytes = bytes[..random.Next(1, bytes.Length + 1)];
            try
            {
                ProxyProtocol.TryParse(new ReadOnlySequence<byte>(bytes), out _, out _);
            }
            catch (InvalidDataException)
            {
            }

            runs++;
        }

        Assert.True(runs > 1000, $"only {runs} inputs in {Budget}");
    }

    private static (byte[] Output, int Consumed) Decode(byte[] wire, IEnumerable<int> pieces)
    {
        var sink = new MemoryStream();
        var decoder = new DataDecoder(sink, 1_000_000);
        var offset = 0;
        foreach (var n in pieces)
        {
            var end = decoder.Decode(wire.AsSpan(offset, n));
            if (end >= 0)
            {
                return (sink.ToArray(), offset + end);
            }

            offset += n;
        }

        return (sink.ToArray(), -1);
    }
}
