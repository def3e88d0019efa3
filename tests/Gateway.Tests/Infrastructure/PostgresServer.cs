using System.Diagnostics;
using Npgsql;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>
/// A real, throwaway PostgreSQL cluster on a free loopback port: Debian's postgresql (scripts/install-deps.sh),
/// <c>initdb</c> into a temporary folder and <c>pg_ctl start</c>, as the <c>postgres</c> user when the tests run as
/// root (PostgreSQL refuses to run as root). <see cref="Shared"/> serves every test that only needs a database (each
/// takes its own with <see cref="CreateDatabaseAsync"/>) and stops with the test process; a test that stops and
/// starts the server starts its own.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly Lazy<PostgresServer> SharedServer = new(() =>
    {
        var server = Task.Run(StartAsync).GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    });

    private readonly string _directory;
    private readonly string _bin;

    private PostgresServer(string directory, string bin, int port)
    {
        _directory = directory;
        _bin = bin;
        Port = port;
    }

    /// <summary>One cluster for the whole test run.</summary>
    public static PostgresServer Shared => SharedServer.Value;

    public int Port { get; }

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>A connection string for the <c>postgres</c> database (trust authentication on loopback).</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false;Timeout=5";

    /// <summary>Initialises and starts a new cluster.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            .FirstOrDefault() ?? throw new InvalidOperationException(
                "no /usr/lib/postgresql/*/bin/initdb: scripts/install-deps.sh installs Debian's postgresql");
        RemoveStoppedClusters();
        var directory = Directory.CreateTempSubdirectory("mailgw-pg-").FullName;
        var server = new PostgresServer(directory, bin, FreePort.Next());
        if (IsRoot)
        {
            await RunAsync("chown", "postgres:postgres", directory);
        }

        await server.RunAsPostgresAsync("initdb", "-D", server.DataDirectory, "-A", "trust", "-U", "postgres", "--no-sync",
            "-E", "UTF8", "--locale=C.UTF-8");
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Starts the server (again) on the same port and data; returns once it accepts connections.</summary>
    public Task StartAgainAsync() => RunAsPostgresAsync("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"),
        "-w", "-t", "60", "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");

    /// <summary>Stops the server at once (fast shutdown: open connections are cut).</summary>
    public Task StopAsync() => RunAsPostgresAsync("pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsPostgresAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        // The server's last files can still be closing just after pg_ctl returns: a few tries.
        for (var attempt = 0; attempt < 5 && Directory.Exists(_directory); attempt++)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await Task.Delay(200);
            }
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    // The shared cluster is stopped at process exit, which may end before its folder is deleted: earlier runs' folders
    // whose server is stopped (no postmaster.pid) and that are not being initialised right now (older than 10 minutes) go.
    private static void RemoveStoppedClusters()
    {
        foreach (var old in Directory.EnumerateDirectories(Path.GetTempPath(), "mailgw-pg-*"))
        {
            if (File.Exists(Path.Combine(old, "data", "postmaster.pid"))
                || Directory.GetLastWriteTimeUtc(old) > DateTime.UtcNow.AddMinutes(-10))
            {
                continue;
            }

            try
            {
                Directory.Delete(old, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another test run got there first.
            }
        }
    }

    private Task RunAsPostgresAsync(string tool, params string[] args)
    {
        var program = Path.Combine(_bin, tool);
        return IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", program, .. args]) : RunAsync(program, args);
    }

    private static async Task RunAsync(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/tmp",
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}
