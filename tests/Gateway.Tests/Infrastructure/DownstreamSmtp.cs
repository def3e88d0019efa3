using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>
/// A real SMTP server standing in for the internal mail server: <c>recording_smtp.py</c> on Debian's aiosmtpd, on
/// a loopback port, recording every message with its envelope and whether it came over TLS. It can offer STARTTLS
/// with a given certificate, be stopped and started again on the same port, refuse chosen recipients with 550, or
/// answer 451 to everyone or to chosen recipients. Disposing stops it and removes its folder.
/// </summary>
public sealed class DownstreamSmtp : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TestCertificate? _certificate;
    private Process? _process;

    /// <param name="certificate">offer STARTTLS with this certificate; none when null.</param>
    public DownstreamSmtp(TestCertificate? certificate = null)
    {
        _certificate = certificate;
        Port = FreePort.Next();
        Directory = Path.Combine(Path.GetTempPath(), "mailgw-downstream-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public int Port { get; }

    public string Directory { get; }

    public string HostPort => $"127.0.0.1:{Port}";

    public string Output => string.Join('\n', _output);

    public static string Script => Path.Combine(RepoPaths.Root, "tests", "Gateway.Tests", "Infrastructure", "recording_smtp.py");

    public static async Task<DownstreamSmtp> StartAsync(TestCertificate? certificate = null)
    {
        var server = new DownstreamSmtp(certificate);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) on <see cref="Port"/> and waits until it answers.</summary>
    public async Task StartAgainAsync()
    {
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Script);
        psi.ArgumentList.Add(Port.ToString());
        psi.ArgumentList.Add(Directory);
        if (_certificate is not null)
        {
            psi.ArgumentList.Add(_certificate.CertificatePath);
            psi.ArgumentList.Add(_certificate.KeyPath);
        }

        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // Generous: python3 with aiosmtpd can take many seconds to start on a loaded 2-core machine.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("recording SMTP server exited (is python3-aiosmtpd installed?):\n" + Output);
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        // Not left running: the caller gets no server object to stop.
        await StopAsync();
        throw new TimeoutException("recording SMTP server did not start:\n" + Output);
    }

    /// <summary>Stops the server; connections to its port are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>From now on RCPT TO for these addresses gets 550 5.1.1.</summary>
    public void Reject(params string[] addresses) =>
        File.WriteAllLines(Path.Combine(Directory, "reject"), addresses);

    /// <summary>From now on the server knows only these users: RCPT TO for any other address gets 550 5.1.1.</summary>
    public void KnowOnly(params string[] addresses) =>
        File.WriteAllLines(Path.Combine(Directory, "users"), addresses);

    /// <summary>While on, every RCPT TO gets 451 4.3.0.</summary>
    public void TempFail(bool on)
    {
        var path = Path.Combine(Directory, "tempfail");
        if (on)
        {
            File.WriteAllText(path, "");
        }
        else
        {
            File.Delete(path);
        }
    }

    /// <summary>From now on RCPT TO for these addresses (only) gets 451 4.3.0.</summary>
    public void TempFail(params string[] addresses) =>
        File.WriteAllLines(Path.Combine(Directory, "tempfail"), addresses);

    /// <summary>Every message received so far, in order.</summary>
    public IReadOnlyList<Received> Messages() =>
        System.IO.Directory.GetFiles(Directory, "*.json").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f =>
            {
                var envelope = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(f));
                return new Received(
                    envelope.GetProperty("from").GetString() ?? "",
                    envelope.GetProperty("to").EnumerateArray().Select(t => t.GetString()!).ToList(),
                    Path.ChangeExtension(f, ".eml"),
                    envelope.TryGetProperty("tls", out var tls) ? tls.GetString() : null);
            })
            .ToList();

    /// <summary>Every RCPT TO for <paramref name="address"/> so far: when it came and the reply code it got.</summary>
    public IReadOnlyList<(DateTimeOffset At, int Code)> RcptAttempts(string address)
    {
        var log = Path.Combine(Directory, "rcpt.log");
        return File.Exists(log)
            ? File.ReadAllLines(log)
                .Select(l => l.Split(' ', 3))
                .Where(f => f.Length == 3 && string.Equals(f[2], address, StringComparison.OrdinalIgnoreCase))
                .Select(f => (DateTimeOffset.FromUnixTimeMilliseconds((long)(double.Parse(f[0], CultureInfo.InvariantCulture) * 1000)),
                    int.Parse(f[1], CultureInfo.InvariantCulture)))
                .ToList()
            : [];
    }

    /// <summary>The messages that list <paramref name="recipient"/> in their envelope.</summary>
    public IReadOnlyList<Received> MessagesFor(string recipient) =>
        Messages().Where(m => m.To.Contains(recipient, StringComparer.OrdinalIgnoreCase)).ToList();

    /// <summary>Waits until <paramref name="condition"/> holds on the received messages; false after the timeout.</summary>
    public async Task<bool> WaitForAsync(Func<IReadOnlyList<Received>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (condition(Messages()))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return condition(Messages());
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>
    /// One recorded message: envelope sender (empty for the null sender), recipients, the file of its bytes, and the
    /// TLS protocol of the session that carried it (null when it came in clear).
    /// </summary>
    public sealed record Received(string From, IReadOnlyList<string> To, string Path, string? Tls)
    {
        public byte[] Bytes => File.ReadAllBytes(Path);

        public string Text => File.ReadAllText(Path);
    }
}
