using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using MailGateway.Bench.SmtpBench;

// Sends real message files over SMTP as fast as the server takes them, like Postfix's smtp-source but with the
// files' own bytes: S sessions in parallel, one message per connection (as smtp-source without -d), pipelined
// MAIL/RCPT/DATA, one thread per session with blocking calls. Prints messages/s, the reply codes and the latency
// percentiles (connect to the final reply).
// Usage: SmtpBench --port P --dir DIR[,DIR...] [--messages N] [--sessions S] [--warmup W] [--max-files F]
//                  [--max-seconds T] [--rcpt ADDRESS]
var arguments = BenchArguments.Parse(args);
var port = arguments.Number("port", 2525);
var messages = arguments.Number("messages", 5000);
var sessions = arguments.Number("sessions", 20);
var warmup = arguments.Number("warmup", 1000);
var maxSeconds = arguments.Number("max-seconds", 300);
var recipient = arguments.Text("rcpt", "rcpt@example.org");
var payloads = MessageFiles.Load(arguments.Text("dir", "").Split(',', StringSplitOptions.RemoveEmptyEntries),
    arguments.Number("max-files", 3000));
if (payloads.Count == 0)
{
    Console.Error.WriteLine("no message files found under --dir");
    return 2;
}

var sender = new SmtpSender(port, recipient);
if (warmup > 0)
{
    Run(warmup, offset: 0, TimeSpan.FromSeconds(maxSeconds));
}

var result = Run(messages, offset: warmup, TimeSpan.FromSeconds(maxSeconds));
var done = result.Latencies.Order().ToArray();
double Percentile(double p) => done.Length == 0 ? 0 : done[Math.Min(done.Length - 1, (int)(p * done.Length))];
var bytes = payloads.Sum(p => (long)p.Length) / payloads.Count;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{done.Length} messages ({payloads.Count} distinct files, mean {bytes} bytes) over {sessions} sessions in {result.Seconds:F2} s (after {warmup} warm-up)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"msgs/s: {done.Length / result.Seconds:F0}   latency ms p50 {Percentile(0.50):F2} p95 {Percentile(0.95):F2} p99 {Percentile(0.99):F2}"));
Console.WriteLine("replies: " + string.Join(", ", result.Codes.OrderBy(c => c.Key).Select(c => $"{c.Key} x{c.Value}")));
return done.Length == messages ? 0 : 1;

// One thread per session, blocking calls (see SmtpSender); stops taking new messages after maxTime.
RunResult Run(int count, int offset, TimeSpan maxTime)
{
    var latencies = new List<double>[sessions];
    var codes = new Dictionary<string, int>[sessions];
    var next = -1;
    var stopwatch = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, sessions).Select(w => new Thread(() =>
    {
        latencies[w] = new List<double>();
        codes[w] = new Dictionary<string, int>();
        var reader = new ReplyReader();
        int index;
        while ((index = Interlocked.Increment(ref next)) < count && stopwatch.Elapsed < maxTime)
        {
            var started = Stopwatch.GetTimestamp();
            string code;
            try
            {
                code = sender.Send(payloads[(index + offset) % payloads.Count], reader);
            }
            catch (Exception ex) when (ex is IOException or SocketException)
            {
                code = ex.GetType().Name;
            }

            latencies[w].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            codes[w][code] = codes[w].GetValueOrDefault(code) + 1;
        }
    }) { IsBackground = true }).ToArray();
    foreach (var worker in workers)
    {
        worker.Start();
    }

    foreach (var worker in workers)
    {
        worker.Join();
    }

    stopwatch.Stop();
    var merged = codes.SelectMany(c => c).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
    return new RunResult(latencies.SelectMany(l => l).ToList(), merged, stopwatch.Elapsed.TotalSeconds);
}

internal sealed record RunResult(List<double> Latencies, Dictionary<string, int> Codes, double Seconds);
