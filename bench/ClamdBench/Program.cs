using System.Diagnostics;
using System.Globalization;
using System.Text;
using MailGateway.Filters.Antivirus;
using MimeKit;

// Scans/s of ClamdClient against clamd alone: N clean messages of a given size, C scans at a time. Every scan sends a
// different message (its text part and its attachment each carry the scan's number and a per-run nonce): clamd keeps
// the MD5 of every clean file it scanned, whole message and extracted parts alike, and answers a repeat from that cache.
// Usage: ClamdBench --port P | --socket PATH [--messages N] [--size BYTES] [--concurrency C] [--max-seconds S]
var arguments = ParseArguments(args);
var endpoint = arguments.TryGetValue("socket", out var socket)
    ? ClamdEndpoint.Unix(socket)
    : ClamdEndpoint.Tcp(arguments.GetValueOrDefault("host", "127.0.0.1"), Number("port", 3310));
var messages = Number("messages", 2000);
var size = Number("size", 10 * 1024);
var concurrency = Number("concurrency", 4);
var maxSeconds = Number("max-seconds", 60);

var client = new ClamdClient(endpoint);
var message = BuildMessage(size);
var runNonce = Random.Shared.NextInt64();
var textTagAt = IndexOf(message, Encoding.ASCII.GetBytes(TextTag), 0);
var attachmentAt = IndexOf(message, "\n\n"u8.ToArray(), IndexOf(message, "figures.bin"u8.ToArray(), 0)) + 2;
var version = await client.GetVersionAsync(CancellationToken.None);
using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(maxSeconds));

// Warm-up: the first scans pay for connection set-up paths and JIT.
for (var i = 0; i < 20; i++)
{
    await ScanOnceAsync(-1 - i, CancellationToken.None);
}

var latencies = new double[messages];
var next = -1;
var completed = 0;
var stopwatch = Stopwatch.StartNew();
var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
{
    int index;
    while ((index = Interlocked.Increment(ref next)) < messages && !deadline.IsCancellationRequested)
    {
        var started = Stopwatch.GetTimestamp();
        await ScanOnceAsync(index, deadline.Token);
        latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Interlocked.Increment(ref completed);
    }
})).ToArray();
try
{
    await Task.WhenAll(workers);
}
catch (OperationCanceledException)
{
    // Time cap reached: report what completed.
}

stopwatch.Stop();
var done = latencies.Take(completed).Order().ToArray();
var seconds = stopwatch.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"clamd {version} at {endpoint}: {completed} scans of {message.Length} bytes, concurrency {concurrency}, {seconds:F2} s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"scans/s: {completed / seconds:F0}   MB/s: {completed * (double)message.Length / seconds / 1e6:F1}   latency ms p50 {Percentile(0.50):F2} p95 {Percentile(0.95):F2} p99 {Percentile(0.99):F2}"));
return completed == messages ? 0 : 1;

async Task ScanOnceAsync(long scan, CancellationToken cancellationToken)
{
    using var content = new MemoryStream(UniqueMessage(scan), writable: false);
    var result = await client.ScanAsync(content, cancellationToken);
    if (result.Reply.Status != ClamdReplyStatus.Clean)
    {
        throw new InvalidOperationException("clean bench message was not clean: " + result.Reply.Text);
    }
}

// The template with this scan's number in the text (16 digits over the tag) and in the attachment (its first 12 bytes,
// which are the first 16 base64 characters), so neither the message nor any part repeats within a run or across runs.
byte[] UniqueMessage(long scan)
{
    var copy = (byte[])message.Clone();
    Encoding.ASCII.GetBytes((scan & 0xFFFFFFFFFFFFL).ToString("D16", CultureInfo.InvariantCulture)).CopyTo(copy, textTagAt);
    var tag = new byte[12];
    BitConverter.TryWriteBytes(tag.AsSpan(0, 8), runNonce);
    BitConverter.TryWriteBytes(tag.AsSpan(8, 4), (int)scan);
    Encoding.ASCII.GetBytes(Convert.ToBase64String(tag)).CopyTo(copy, attachmentAt);
    return copy;
}

static int IndexOf(byte[] haystack, byte[] needle, int from)
{
    var at = haystack.AsSpan(from).IndexOf(needle);
    return at < 0 ? throw new InvalidOperationException("bench message template lacks " + Encoding.ASCII.GetString(needle)) : from + at;
}

double Percentile(double p) => done.Length == 0 ? double.NaN : done[Math.Min(done.Length - 1, (int)(p * done.Length))];

int Number(string name, int fallback) =>
    arguments.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

static Dictionary<string, string> ParseArguments(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        result[args[i].TrimStart('-')] = args[i + 1];
    }

    return result;
}

// A typical small business mail: a text part and a base64 attachment, so clamd parses MIME as it will in production.
static byte[] BuildMessage(int size)
{
    var text = new StringBuilder("Reference ").Append(TextTag).Append('\n');
    var line = 0;
    while (text.Length < size * 2 / 3)
    {
        text.Append("Line ").Append(line++).Append(": the quarterly figures are in the attached sheet, as agreed.\n");
    }

    var attachment = new byte[size / 4];
    new Random(42).NextBytes(attachment);
    var body = new BodyBuilder { TextBody = text.ToString() };
    body.Attachments.Add("figures.bin", attachment);
    var message = new MimeMessage();
    message.From.Add(new MailboxAddress("Sender", "sender@example.org"));
    message.To.Add(new MailboxAddress("Recipient", "recipient@example.com"));
    message.Subject = "Quarterly figures";
    message.Body = body.ToMessageBody();
    using var buffer = new MemoryStream();
    message.WriteTo(buffer);
    return buffer.ToArray();
}

internal static partial class Program
{
    /// <summary>Where each scan's number goes in the text part.</summary>
    private const string TextTag = "0000000000000000";
}
