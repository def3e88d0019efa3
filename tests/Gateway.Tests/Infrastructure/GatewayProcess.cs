using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>
/// A real <c>mailgw serve</c> process on loopback ports with its own storage folder. Settings are passed as
/// command-line configuration (<c>--Smtp:MaxRecipients=5</c>). Disposing kills it and removes the folder.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Dictionary<string, string> _settings;
    private readonly Dictionary<string, string> _environment;
    private Process? _process;

    /// <param name="environment">extra environment variables for the process (e.g. <c>SSL_CERT_FILE</c>).</param>
    public GatewayProcess(IDictionary<string, string>? settings = null, string? storageRoot = null,
        IDictionary<string, string>? environment = null)
    {
        _environment = environment is null ? new() : new(environment);
        StorageRoot = storageRoot ?? Path.Combine(Path.GetTempPath(), "mailgw-test-" + Guid.NewGuid().ToString("N")[..12]);
        SmtpPort = FreePort.Next();
        AdminPort = FreePort.Next();
        _settings = new Dictionary<string, string>
        {
            ["Smtp:Port"] = SmtpPort.ToString(),
            ["Smtp:HostName"] = "gw.test",
            ["Smtp:ShutdownGraceSeconds"] = "5",
            ["Admin:Url"] = $"http://127.0.0.1:{AdminPort}",
            ["Storage:Root"] = StorageRoot,
            // Tests that want the antivirus stage point it at their own clamd (ClamdProcess).
            ["Antivirus:Enabled"] = "false",
            // The shipped list is empty: the tests' phrases ("free money" ...) are their own.
            ["Keywords:Path"] = TestKeywordsPath,
            // Test clients send "From: …@example.org" from 127.0.0.1, outside any relay network: the tests that want
            // Dmarc:ProtectAcceptedDomains (on in the product) turn it on.
            ["Dmarc:ProtectAcceptedDomains"] = "false",
            // No lookup ever leaves the machine: the DNS stages ask a loopback server that knows no name (NXDOMAIN at
            // once); the tests of those stages point Dns:Servers at a DnsServer with their own records.
            ["Dns:Servers:0"] = DnsServer.Empty.Endpoint,
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>())
        {
            _settings[k] = v;
        }

        // A test that sets its own admin URL is waited for on that port.
        if (Uri.TryCreate(_settings["Admin:Url"], UriKind.Absolute, out var admin))
        {
            AdminPort = admin.Port;
        }
    }

    /// <summary>The tests' keyword list (Fixtures/keywords.json): good "project phoenix"; bad "free money", "you have won", "claim your prize".</summary>
    public static string TestKeywordsPath { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "keywords.json");

    public string StorageRoot { get; }

    public int SmtpPort { get; }

    public int AdminPort { get; private set; }

    public int? Pid => _process?.Id;

    public string Output => string.Join('\n', _output);

    public bool HasExited => _process?.HasExited ?? true;

    public static async Task<GatewayProcess> StartAsync(IDictionary<string, string>? settings = null,
        IDictionary<string, string>? environment = null)
    {
        var gateway = new GatewayProcess(settings, environment: environment);
        await gateway.StartAsync();
        return gateway;
    }

    /// <summary>Starts the process and waits until the SMTP port answers.</summary>
    public async Task StartAsync()
    {
        _process = Launch(_settings, _output, _environment);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"gateway exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                // Kestrel (admin) starts after the SMTP listener: ready means both answer.
                using var smtp = new TcpClient();
                await smtp.ConnectAsync("127.0.0.1", SmtpPort);
                using var admin = new TcpClient();
                await admin.ConnectAsync("127.0.0.1", AdminPort);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException("gateway did not start listening:\n" + Output);
    }

    /// <summary>
    /// Runs mailgw with these settings expecting it to stop by itself (e.g. on bad options). One still running after
    /// 30 s is killed and reported with exit code -1, so a test of a start that should fail never leaves it behind.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(IDictionary<string, string> settings,
        IDictionary<string, string>? environment = null)
    {
        var output = new ConcurrentQueue<string>();
        using var process = Launch(settings, output, environment ?? new Dictionary<string, string>());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, string.Join('\n', output) + "\n(still running after 30 s: killed)");
        }

        return (process.ExitCode, string.Join('\n', output));
    }

    /// <summary>Waits until the process has printed <paramref name="text"/>; false after the timeout.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM: the graceful path. Returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (_process is null)
        {
            return -1;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>The files in a recipient's Maildir folder (new/ of the inbox unless <paramref name="folder"/> says .Junk).</summary>
    public IReadOnlyList<string> Messages(string address, string folder = "")
    {
        var dir = Path.Combine(StorageRoot, "mail", address.ToLowerInvariant(), folder, "new");
        return Directory.Exists(dir) ? Directory.GetFiles(dir).OrderBy(f => f, StringComparer.Ordinal).ToList() : [];
    }

    /// <summary>Every stored copy for a recipient: inbox, junk folder, and archived files naming it in the envelope.</summary>
    public IReadOnlyList<string> StoredCopies(string address) =>
        Messages(address).Concat(Messages(address, ".Junk"))
            .Concat(ArchivedMessages().Where(f => File.ReadLines(f).TakeWhile(l => l.Length > 0)
                .Any(l => l.StartsWith("X-MailGateway-Envelope-To:") && l.Contains($"<{address}>", StringComparison.OrdinalIgnoreCase))))
            .ToList();

    /// <summary>Every .eml under archive/ (the virus archive included).</summary>
    public IReadOnlyList<string> ArchivedMessages()
    {
        var root = Path.Combine(StorageRoot, "archive");
        return Directory.Exists(root)
            ? Directory.GetFiles(root, "*.eml", SearchOption.AllDirectories).Where(f => !f.Contains("/.tmp/")).ToList()
            : [];
    }

    /// <summary>Every stored file under mail/ (any recipient, any folder, new/ only).</summary>
    public IReadOnlyList<string> AllStoredMessages()
    {
        var root = Path.Combine(StorageRoot, "mail");
        return Directory.Exists(root)
            ? Directory.GetFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "new").ToList()
            : [];
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(StorageRoot, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static Process Launch(IDictionary<string, string> settings, ConcurrentQueue<string> output,
        IDictionary<string, string> environment)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        psi.ArgumentList.Add(RepoPaths.GatewayDll);
        psi.ArgumentList.Add("serve");
        foreach (var (k, v) in settings)
        {
            psi.ArgumentList.Add($"--{k}={v}");
        }

        // Tests must not pick up a developer's config/ or MAILGW_ variables.
        psi.Environment["MAILGW_CONFIG_DIR"] = RepoPaths.GatewayConfigDirectory;
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("MAILGW_") && k != "MAILGW_CONFIG_DIR").ToList())
        {
            psi.Environment.Remove(key);
        }

        foreach (var (k, v) in environment)
        {
            psi.Environment[k] = v;
        }

        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
