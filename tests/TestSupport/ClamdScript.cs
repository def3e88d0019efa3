using System.Diagnostics;

namespace MailGateway.TestSupport;

/// <summary>
/// Starts and stops a real clamd through scripts/clamd.sh, as CI and the quick start do: on a given loopback port and
/// a unix socket in a directory of its own, with the project's test signatures.
/// </summary>
public static class ClamdScript
{
    /// <summary>The repository's root: the first folder above the test binaries that holds scripts/clamd.sh.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Starts clamd; throws with the script's output when it fails.</summary>
    public static async Task StartAsync(string directory, int port, IDictionary<string, string>? environment = null)
    {
        var (exitCode, output) = await RunAsync(environment, "start", directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"scripts/clamd.sh start failed ({exitCode}):\n{output}");
        }
    }

    /// <summary>Stops clamd and removes its directory (a stray directory left by late log lines is harmless).</summary>
    public static async Task StopAsync(string directory)
    {
        await RunAsync(null, "stop", directory);
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(IDictionary<string, string>? environment,
        params string[] arguments)
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

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

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
