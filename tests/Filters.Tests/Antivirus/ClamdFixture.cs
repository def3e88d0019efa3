using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailGateway.Filters.Antivirus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailGateway.Filters.Tests.Antivirus;

/// <summary>
/// One real clamd for the whole suite, started through scripts/clamd.sh (as CI and the quick start do) on a free
/// loopback port and a unix socket, with the project's test signatures in a temporary directory.
/// </summary>
public sealed class ClamdFixture : IAsyncLifetime
{
    /// <summary>clamd's StreamMaxLength here: small, so that the size-limit test streams little.</summary>
    public const int StreamMaxLengthBytes = 1024 * 1024;

    private readonly string directory = Path.Combine(Path.GetTempPath(), "mailgw-clamd-" + Guid.NewGuid().ToString("N")[..12]);

    public int Port { get; private set; }

    public string SocketPath => Path.Combine(directory, "clamd.sock");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public async Task InitializeAsync()
    {
        Port = FreeLoopbackPort();
        var (exitCode, output) = await RunScriptAsync("start", directory, Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"scripts/clamd.sh start failed ({exitCode}):\n{output}");
        }
    }

    public async Task DisposeAsync()
    {
        await RunScriptAsync("stop", directory);
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // clamd's last log lines may still be written; a stray temp directory is harmless.
        }
    }

    /// <summary>A scanner wired as the gateway wires it, pointed at this clamd unless <paramref name="settings"/> says otherwise.</summary>
    public AntivirusScanner CreateScanner(IDictionary<string, string?>? settings = null) =>
        CreateServices(settings).GetRequiredService<AntivirusScanner>();

    public ServiceProvider CreateServices(IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Antivirus:Host"] = "127.0.0.1",
            ["Antivirus:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Antivirus:TimeoutSeconds"] = "30",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection().AddLogging().AddAntivirus(configuration).BuildServiceProvider();
    }

    private static readonly HashSet<int> HandedOut = new();

    /// <summary>
    /// A loopback port nothing listens on (it was free a moment ago), from 30000..32767: below Linux's default ephemeral range,
    /// so no client connection's source port takes it before clamd binds it, and apart from the 20000..29999 that
    /// Gateway.Tests, running beside this project, picks from.
    /// </summary>
    public static int FreeLoopbackPort()
    {
        // Never twice in this process: clamd takes seconds to bind the port it was given.
        lock (HandedOut)
        {
            for (var tries = 0; tries < 1_000; tries++)
            {
                var port = Random.Shared.Next(30_000, 32_768);
                if (!HandedOut.Contains(port) && CanBind(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException("no free loopback port in 30000..32767 after 1,000 tries");
    }

    private static bool CanBind(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<(int ExitCode, string Output)> RunScriptAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "scripts", "clamd.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CLAMD_STREAM_MAX_LENGTH"] = StreamMaxLengthBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A first run may install clamav from apt.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "clamd.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("scripts/clamd.sh not found above " + AppContext.BaseDirectory);
    }
}
