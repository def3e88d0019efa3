using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using MailGateway.Bench.SmtpBench;

// Sends real message files over SMTP as fast as the server takes them, like Postfix's smtp-source but with the
// files' own bytes: S sessions in parallel, one message per connection (as smtp-source without -d), pipelined
// MAIL/RCPT/DATA, one thread per session with blocking calls. Prints messages/s, the reply codes and the latency
// percentiles (connect to the final reply).
// With --port A,B (paired): S sessions to each port at once, taking messages from one shared count, so the servers
// are timed side by side under the same load of the shared machine; prints each port's messages/s and the ratio
// of the first to the second.
// Usage: SmtpBench --port P[,P2] --dir DIR[,DIR...] [--messages N] [--sessions S] [--warmup W] [--max-files F]
//                  [--max-seconds T] [--rcpt ADDRESS]
var arguments = BenchArguments.Parse(args);
var ports = arguments.Text("port", "2525").Split(',').Select(int.Parse).ToArray();
if (ports.Length > 2)
{
    Console.Error.WriteLine("--port takes one port, or two to time side by side");
    return 2;
}

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

var senders = ports.Select(p => new SmtpSender(p, recipient)).ToArray();
if (warmup > 0)
{
    Run(warmup, offset: 0, TimeSpan.FromSeconds(maxSeconds));
}

var result = Run(messages, offset: warmup, TimeSpan.FromSeconds(maxSeconds));
var bytes = payloads.Sum(p => (long)p.Length) / payloads.Count;
var all = result.Latencies.SelectMany(l => l).ToArray();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{all.Length} messages ({payloads.Count} distinct files, mean {bytes} bytes) over {sessions} sessions per port in {result.Seconds:F2} s (after {warmup} warm-up)"));
var rates = new double[ports.Length];
for (var i = 0; i < ports.Length; i++)
{
    var done = result.Latencies[i].Order().ToArray();
    double Percentile(double p) => done.Length == 0 ? 0 : done[Math.Min(done.Length - 1, (int)(p * done.Length))];
    rates[i] = done.Length / result.Seconds;
    var label = ports.Length == 1 ? "" : $"port {ports[i]} ";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{label}msgs/s: {rates[i]:F0}   latency ms p50 {Percentile(0.50):F2} p95 {Percentile(0.95):F2} p99 {Percentile(0.99):F2}"));
}

if (ports.Length == 2)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"paired ratio: {100 * rates[0] / rates[1]:F1}%"));
}

Console.WriteLine("replies: " + string.Join(", ", result.Codes.OrderBy(c => c.Key).Select(c => $"{c.Key} x{c.Value}")));
return all.Length == messages ? 0 : 1;

// One thread per session, blocking calls (see SmtpSender); sessions go to the ports in turn; stops taking new
// messages after maxTime.
RunResult Run(int count, int offset, TimeSpan maxTime)
{
    var threads = sessions * ports.Length;
    var latencies = new List<double>[threads];
    var codes = new Dictionary<string, int>[threads];
    var next = -1;
    var stopwatch = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, threads).Select(w => new Thread(() =>
    {
        var sender = senders[w % ports.Length];
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
    var byPort = Enumerable.Range(0, ports.Length)
        .Select(p => latencies.Where((_, w) => w % ports.Length == p).SelectMany(l => l).ToList()).ToArray();
    return new RunResult(byPort, merged, stopwatch.Elapsed.TotalSeconds);
}

/// <summary>Each port's latencies (connect to final reply), the reply codes of all, and the run's wall time.</summary>
internal sealed record RunResult(List<double>[] Latencies, Dictionary<string, int> Codes, double Seconds);
