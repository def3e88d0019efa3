using System.Diagnostics;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>A real clamd with the project's test signatures, started and stopped through scripts/clamd.sh.</summary>
public sealed class ClamdProcess : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mailgw-gwclamd-" + Guid.NewGuid().ToString("N")[..10]);

    public int Port { get; } = FreePort.Next();

    /// <summary>Gateway settings that point the antivirus stage at this clamd.</summary>
    public Dictionary<string, string> Settings => new()
    {
        ["Antivirus:Enabled"] = "true",
        ["Antivirus:Host"] = "127.0.0.1",
        ["Antivirus:Port"] = Port.ToString(),
    };

    public async Task InitializeAsync()
    {
        var (code, output) = await RunAsync("start", _directory, Port.ToString());
        if (code != 0)
        {
            throw new InvalidOperationException($"scripts/clamd.sh start failed ({code}):\n{output}");
        }
    }

    public async Task DisposeAsync()
    {
        await RunAsync("stop", _directory);
        try
        {
            Directory.Delete(_directory, true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<(int, string)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "clamd.sh"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
