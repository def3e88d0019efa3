using MailGateway.Filters.Antivirus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Tests.Antivirus;

public sealed class AntivirusOptionsTests
{
    [Fact]
    public void Defaults_match_the_issue()
    {
        var options = Bind([]);

        Assert.True(options.Enabled);
        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(3310, options.Port);
        Assert.Null(options.SocketPath);
        Assert.Equal(30, options.TimeoutSeconds);
        Assert.Equal(AntivirusInfectedAction.Reject, options.OnInfected);
        Assert.Equal(AntivirusErrorAction.TempFail, options.OnError);
    }

    [Fact]
    public void Section_values_are_bound()
    {
        var options = Bind(new()
        {
            ["Antivirus:Enabled"] = "false",
            ["Antivirus:SocketPath"] = "/run/clamav/clamd.ctl",
            ["Antivirus:TimeoutSeconds"] = "5",
            ["Antivirus:OnInfected"] = "Archive",
            ["Antivirus:OnError"] = "accept",
        });

        Assert.False(options.Enabled);
        Assert.Equal("/run/clamav/clamd.ctl", options.SocketPath);
        Assert.Equal(5, options.TimeoutSeconds);
        Assert.Equal(AntivirusInfectedAction.Archive, options.OnInfected);
        Assert.Equal(AntivirusErrorAction.Accept, options.OnError);
        Assert.Equal("unix:/run/clamav/clamd.ctl", ClamdEndpoint.FromOptions(options).ToString());
    }

    [Theory]
    [InlineData("Antivirus:Port", "0", "Antivirus:Port must be between 1 and 65535 (is 0).")]
    [InlineData("Antivirus:Port", "70000", "Antivirus:Port must be between 1 and 65535 (is 70000).")]
    [InlineData("Antivirus:Host", "", "Antivirus:Host must be set when Antivirus:SocketPath is empty.")]
    [InlineData("Antivirus:TimeoutSeconds", "0", "Antivirus:TimeoutSeconds must be between 1 and 3600 (is 0).")]
    [InlineData("Antivirus:OnInfected", "7", "Antivirus:OnInfected must be Reject or Archive (is 7).")]
    [InlineData("Antivirus:OnError", "9", "Antivirus:OnError must be TempFail or Accept (is 9).")]
    public void Invalid_value_fails_with_one_message_naming_the_key(string key, string value, string message)
    {
        using var services = Services(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AntivirusOptions>>().Value);

        Assert.Equal(message, Assert.Single(error.Failures));
    }

    [Fact]
    public void Socket_path_makes_host_and_port_irrelevant()
    {
        var options = Bind(new() { ["Antivirus:SocketPath"] = "/tmp/clamd.sock", ["Antivirus:Host"] = "", ["Antivirus:Port"] = "0" });

        Assert.Equal("/tmp/clamd.sock", options.SocketPath);
    }

    [Fact]
    public void Unknown_action_name_is_refused_naming_the_key()
    {
        using var services = Services(new() { ["Antivirus:OnInfected"] = "Quarantine" });

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IOptions<AntivirusOptions>>().Value);

        Assert.Contains("Antivirus:OnInfected", error.Message, StringComparison.Ordinal);
    }

    private static AntivirusOptions Bind(Dictionary<string, string?> values)
    {
        using var services = Services(values);
        return services.GetRequiredService<IOptions<AntivirusOptions>>().Value;
    }

    private static ServiceProvider Services(Dictionary<string, string?> values) =>
        new ServiceCollection()
            .AddLogging()
            .AddAntivirus(new ConfigurationBuilder().AddInMemoryCollection(values).Build())
            .BuildServiceProvider();
}
