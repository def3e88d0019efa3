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

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mailgw-clamd-" + Guid.NewGuid().ToString("N")[..12]);

    public int Port { get; private set; }

    public string SocketPath => Path.Combine(_directory, "clamd.sock");

    public static string RepositoryRoot => ClamdScript.RepositoryRoot;

    public async Task InitializeAsync()
    {
        Port = FreeLoopbackPort();
        await ClamdScript.StartAsync(_directory, Port, new Dictionary<string, string>
        {
            ["CLAMD_STREAM_MAX_LENGTH"] = StreamMaxLengthBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    public Task DisposeAsync() => ClamdScript.StopAsync(_directory);

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

    private static readonly LoopbackPorts Ports = new(30_000, 32_767);

    /// <summary>A free loopback port from 30000..32767, apart from the 20000..29999 that Gateway.Tests, running beside this project, picks from.</summary>
    public static int FreeLoopbackPort() => Ports.Next();
}
