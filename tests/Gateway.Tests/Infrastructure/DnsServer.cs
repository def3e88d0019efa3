using System.Diagnostics;
using System.Text;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>
/// A real DNS server on loopback for the sender-defence tests: Debian's dnsmasq (package dnsmasq-base, installed by
/// scripts/install-deps.sh) answering only from the records a test gives it. Every name under <c>.test</c> that
/// has no record gets NXDOMAIN, as a real zone would answer.
/// </summary>
public sealed class DnsServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();

    private DnsServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    private static readonly Lazy<DnsServer> EmptyServer = new(StartEmpty);

    /// <summary>
    /// One server for every gateway a test starts without its own: NXDOMAIN for every name, at once, so the DNS stages
    /// of the default filter order never ask outside the machine and never wait. Ends with the test process.
    /// </summary>
    public static DnsServer Empty => EmptyServer.Value;

    /// <summary>The value for <c>Dns:Servers:0</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Starts dnsmasq with A records (name → address) and TXT records (name → text).</summary>
    public static Task<DnsServer> StartAsync(IEnumerable<(string Name, string Address)> addresses,
        IEnumerable<(string Name, string Text)>? texts = null) => StartAsync(addresses, texts, "local=/test/");

    private static DnsServer StartEmpty()
    {
        var server = Task.Run(() => StartAsync([], null, "address=/#/")).GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }

    private static async Task<DnsServer> StartAsync(IEnumerable<(string Name, string Address)> addresses,
        IEnumerable<(string Name, string Text)>? texts, string unknownNames)
    {
        var port = FreePort.Next();
        var directory = Directory.CreateTempSubdirectory("mailgw-dns-").FullName;
        var conf = new StringBuilder();
        conf.AppendLine($"port={port}").AppendLine("listen-address=127.0.0.1").AppendLine("bind-interfaces")
            .AppendLine("no-resolv").AppendLine("no-hosts").AppendLine("no-negcache").AppendLine(unknownNames)
            .AppendLine("user=root").AppendLine("log-facility=-");
        foreach (var (name, address) in addresses)
        {
            conf.AppendLine($"host-record={name},{address}");
        }

        foreach (var (name, text) in texts ?? [])
        {
            // dnsmasq splits a TXT record at commas into strings; the resolver joins them again (RFC 7208 3.3).
            conf.AppendLine($"txt-record={name},\"{text.Replace("\"", "\\\"")}\"");
        }

        var confPath = Path.Combine(directory, "dnsmasq.conf");
        await File.WriteAllTextAsync(confPath, conf.ToString());
        var psi = new ProcessStartInfo("/usr/sbin/dnsmasq")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--keep-in-foreground", "--pid-file=", "--conf-file=" + confPath })
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi)!;
        var server = new DnsServer(process, directory, port);
        var started = new TaskCompletionSource();
        void OnLine(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (server._output)
            {
                server._output.AppendLine(e.Data);
            }

            if (e.Data.Contains("started, version", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var done = await Task.WhenAny(started.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(20)));
        if (done != started.Task)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("dnsmasq did not start: " + server._output);
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, true);
    }
}
