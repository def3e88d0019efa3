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

    public Task InitializeAsync() => ClamdScript.StartAsync(_directory, Port);

    public Task DisposeAsync() => ClamdScript.StopAsync(_directory);
}
