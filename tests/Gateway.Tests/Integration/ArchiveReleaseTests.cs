using System.Net;
using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// Releasing archived messages end to end (real gateway, real SMTP, the real CLI): only to the recorded envelope,
/// once, never by pattern, and through the delivery in force.
/// </summary>
public class ArchiveReleaseTests
{
    private static string Unique(string local) => $"{local}-{Guid.NewGuid():N}"[..16] + "@example.org";

    private static Task<(int ExitCode, string Output)> Cli(GatewayProcess gateway, params string[] args) =>
        ExternalTool.RunAsync("dotnet", [RepoPaths.GatewayDll, .. args, $"--Storage:Root={gateway.StorageRoot}"]);

    private static async Task SendRawAsync(GatewayProcess gateway, string subject, params string[] to)
    {
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await client.BeginMessageAsync("a@sender.test", to);
        await client.SendAsync($"From: a@sender.test\r\nTo: x@example.org\r\nSubject: {subject}\r\n\r\nfree money\r\n.\r\n");
        RawSmtpClient.Expect(await client.ReadReplyAsync(), 250);
    }

    [Fact]
    public async Task Release_goes_only_to_the_recorded_recipients_whatever_encoded_words_a_quoted_local_part_spells()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        const string steered = "\"x =?us-ascii?q?=2C_ceo=40example=2Eorg=2C?= y\"@example.org";
        var plain = Unique("plain");
        // A comma inside quotes is part of the address: the recipient gets its copy, and no one else does.
        var comma = "\"q," + Guid.NewGuid().ToString("N")[..8] + "\"@example.org";
        await SendRawAsync(gateway, "steer the release", steered, plain, comma);
        var id = Path.GetFileNameWithoutExtension(Assert.Single(gateway.ArchivedMessages()));

        var release = await Cli(gateway, "archive", "release", id);

        Assert.True(release.ExitCode == 0, release.Output);
        Assert.Empty(gateway.Messages("ceo@example.org"));
        var mailboxes = Directory.GetDirectories(Path.Combine(gateway.StorageRoot, "mail")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(new[] { steered.ToLowerInvariant(), plain, comma }.Order(), mailboxes);
        Assert.Single(gateway.Messages(steered));
        Assert.Single(gateway.Messages(plain));
        Assert.Single(gateway.Messages(comma));
    }

    [Fact]
    public async Task Archive_release_and_show_refuse_a_pattern_for_an_id_and_release_nothing()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        var to = Unique("pattern");
        await SendRawAsync(gateway, "pattern", to);
        Assert.Single(gateway.ArchivedMessages());

        var release = await Cli(gateway, "archive", "release", "*");
        var show = await Cli(gateway, "archive", "show", "*");

        Assert.Empty(gateway.Messages(to));
        Assert.True(release.ExitCode != 0, release.Output);
        Assert.Contains("is not an archive id", release.Output);
        Assert.True(show.ExitCode != 0, show.Output);
    }

    [Fact]
    public async Task In_relay_mode_a_release_from_the_admin_page_goes_to_the_internal_server_not_to_local_maildirs()
    {
        await using var downstream = await DownstreamSmtp.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Delivery:Mode"] = "Relay",
            ["Relay:SmartHost"] = downstream.HostPort,
            ["Relay:Tls"] = "None",
            ["Relay:RetrySchedule:0"] = "00:00:01",
        });
        var to = Unique("relayed");
        await SendRawAsync(gateway, "release me downstream", to);
        var id = Path.GetFileNameWithoutExtension(Assert.Single(gateway.ArchivedMessages()));

        using var pages = new AdminPages(gateway.AdminPort);
        var response = await pages.PostAsync(id, id, "release");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(await downstream.WaitForAsync(m => m.Count == 1, TimeSpan.FromSeconds(30)),
            $"nothing relayed; stored locally: {string.Join(", ", gateway.AllStoredMessages())}\n{gateway.Output}");
        var relayed = Assert.Single(downstream.Messages());
        Assert.Equal([to], relayed.To);
        Assert.Equal("a@sender.test", relayed.From);
        var head = relayed.Text[..relayed.Text.IndexOf("Received: from ", StringComparison.Ordinal)];
        Assert.StartsWith("X-MailGateway-Released: ", head);
        Assert.Contains("X-Spam-Flag: NO\r\n", head);
        Assert.DoesNotContain("X-MS-Exchange-Organization-SCL", relayed.Text);
        Assert.DoesNotContain("X-MailGateway-SCL", relayed.Text);
        Assert.Empty(gateway.AllStoredMessages());

        // The offline verb cannot hand a message to the running gateway's relay worker: it says so and stores nothing.
        var cli = await Cli(gateway, "archive", "release", id, "--Delivery:Mode=Relay");
        Assert.True(cli.ExitCode != 0, cli.Output);
        Assert.Contains("relay mode", cli.Output);
        Assert.Empty(gateway.AllStoredMessages());
    }
}
