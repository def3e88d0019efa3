using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>The filter chain and SCL routing over SMTP, with the shipped keyword and allow-list files.</summary>
public class RoutingTests
{
    private static string Unique(string local) => $"{local}-{Guid.NewGuid():N}"[..16] + "@example.org";

    private static async Task<GatewayProcess> StartWithThresholdsAsync(string thresholdsFile, Dictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string> { ["Scl:ThresholdsFile"] = thresholdsFile };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        return await GatewayProcess.StartAsync(settings);
    }

    private static string Thresholds(int junk, int archive, int reject) =>
        $$"""{ "Scl": { "JunkThreshold": {{junk}}, "ArchiveThreshold": {{archive}}, "RejectThreshold": {{reject}} } }""";

    [Fact]
    public async Task A_bad_keyword_goes_to_the_archive_and_a_good_keyword_to_the_inbox()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        var spamTo = Unique("kwbad");
        var hamTo = Unique("kwgood");
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text(spamTo, "Hello", "Get FREE   money today"))).Code);
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort,
            TestMail.Text(hamTo, "Project Phoenix status", "free money, but about project phoenix"))).Code);

        Assert.Empty(gateway.Messages(spamTo));
        var archived = Assert.Single(gateway.ArchivedMessages());
        var text = await File.ReadAllTextAsync(archived);
        Assert.Contains("X-MailGateway-SCL: 9", text);
        Assert.Contains("X-Spam-Flag: YES", text);
        Assert.Matches(@"X-MailGateway-Trace: .*Keywords=bad:""free_money""\(none->9\)\[\d+us\]", text);
        Assert.Contains($"X-MailGateway-Envelope-To: <{spamTo}>", text);
        Assert.Contains("X-MailGateway-Envelope-From: <sender@sender.test>", text);

        var inbox = Assert.Single(gateway.Messages(hamTo));
        var hamText = await File.ReadAllTextAsync(inbox);
        Assert.Contains("X-MailGateway-SCL: 0", hamText);
        Assert.Contains("X-Spam-Flag: NO", hamText);
        Assert.DoesNotContain("X-MailGateway-Envelope-To", hamText);
    }

    [Fact]
    public async Task An_allow_listed_sender_with_spammy_text_reaches_the_inbox_with_scl_minus_1_but_eicar_is_still_rejected()
    {
        var clamd = new ClamdProcess();
        await clamd.InitializeAsync();
        // A sender rule matches only an authenticated sender (AllowList:RequireAuthentication): SPF passes for
        // supplier.example from 127.0.0.1, as it would for the real supplier's servers.
        await using var dns = await DnsServer.StartAsync([], [("supplier.example", "v=spf1 ip4:127.0.0.1 -all")]);
        try
        {
            var settings = clamd.Settings;
            settings["Dns:Servers:0"] = dns.Endpoint;
            await using var gateway = await GatewayProcess.StartAsync(settings);
            var to = Unique("allowed");
            var spammy = TestMail.Text(to, "you have won", "free money, claim your prize", from: "invoices@supplier.example");
            Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, spammy)).Code);
            var stored = await File.ReadAllTextAsync(Assert.Single(gateway.Messages(to)));
            Assert.Contains("X-MailGateway-SCL: -1", stored);
            Assert.Contains("Keywords=skipped-trusted", stored);

            var virus = TestMail.WithAttachment(Unique("allowedvirus"), "invoice", "eicar.com", TestMail.Eicar);
            virus.From.Clear();
            virus.From.Add(MimeKit.MailboxAddress.Parse("invoices@supplier.example"));
            var (code, text) = await TestMail.SendAsync(gateway.SmtpPort, virus);
            Assert.Equal(554, code);
            Assert.Contains("virus found", text);
        }
        finally
        {
            await clamd.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_block_listed_sender_is_refused_at_rcpt_with_550_5_7_1()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<someone@spam.example>"), 250);
        var reply = await client.CommandAsync("RCPT TO:<bob@example.org>");
        Assert.Equal(550, reply.Code);
        Assert.Equal("5.7.1", reply.Enhanced);
    }

    [Fact]
    public async Task Rewriting_the_thresholds_file_changes_where_the_next_message_goes_and_a_broken_file_changes_nothing()
    {
        var dir = Directory.CreateTempSubdirectory("mailgw-thresholds-");
        var file = Path.Combine(dir.FullName, "thresholds.json");
        await File.WriteAllTextAsync(file, Thresholds(4, 7, 10));
        await using var gateway = await StartWithThresholdsAsync(file);

        var first = Unique("th1");
        await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text(first, "offer", "free money"));
        Assert.Empty(gateway.Messages(first));
        Assert.Single(gateway.ArchivedMessages());

        // SCL 9 now falls between junk (4) and archive (10): the junk folder.
        await File.WriteAllTextAsync(file, Thresholds(4, 10, 10));
        Assert.True(await gateway.WaitForOutputAsync("SCL thresholds changed", TimeSpan.FromSeconds(20)), gateway.Output);
        var second = Unique("th2");
        await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text(second, "offer", "free money"));
        Assert.Single(gateway.Messages(second, ".Junk"));
        Assert.Empty(gateway.Messages(second));

        // A broken edit is refused; junk routing stays.
        await File.WriteAllTextAsync(file, """{ "Scl": { "JunkThreshold": 8, "ArchiveThreshold": 3 } }""");
        Assert.True(await gateway.WaitForOutputAsync("refused", TimeSpan.FromSeconds(20)), gateway.Output);
        await File.WriteAllTextAsync(file, "{ not json");
        await Task.Delay(5000);
        var third = Unique("th3");
        await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text(third, "offer", "free money"));
        Assert.Single(gateway.Messages(third, ".Junk"));
        Assert.False(gateway.HasExited);

        // And SCL >= RejectThreshold is refused with 550 5.7.1.
        await File.WriteAllTextAsync(file, Thresholds(4, 7, 9));
        Assert.True(await gateway.WaitForOutputAsync("to junk>=4 archive>=7 reject>=9", TimeSpan.FromSeconds(20)), gateway.Output);
        var (code, text) = await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text(Unique("th4"), "offer", "free money"));
        Assert.Equal(550, code);
        Assert.Contains("5.7.1", text);
        dir.Delete(true);
    }

    [Fact]
    public async Task Deleting_the_thresholds_file_keeps_the_thresholds_in_force_and_logs_an_error()
    {
        var dir = Directory.CreateTempSubdirectory("mailgw-thresholds-");
        var file = Path.Combine(dir.FullName, "thresholds.json");
        // Junk from SCL 0: every scored message goes to junk, whatever the model says of it.
        await File.WriteAllTextAsync(file, Thresholds(0, 10, 10));
        await using var gateway = await StartWithThresholdsAsync(file);

        File.Delete(file);
        Assert.True(await gateway.WaitForOutputAsync("is missing; keeping junk>=0", TimeSpan.FromSeconds(20)), gateway.Output);
        var to = Unique("thdel");
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text(to, "status", "meeting at ten"))).Code);
        Assert.Single(gateway.Messages(to, ".Junk"));
        Assert.Empty(gateway.Messages(to));
        Assert.DoesNotContain("SCL thresholds changed", gateway.Output);

        // Put back, it is read again.
        await File.WriteAllTextAsync(file, Thresholds(4, 7, 10));
        Assert.True(await gateway.WaitForOutputAsync("SCL thresholds changed", TimeSpan.FromSeconds(20)), gateway.Output);
        dir.Delete(true);
    }

    [Fact]
    public async Task A_newsletter_at_the_bulk_threshold_goes_to_junk_with_its_bcl_and_a_letter_stays_in_the_inbox()
    {
        var dir = Directory.CreateTempSubdirectory("mailgw-thresholds-");
        var file = Path.Combine(dir.FullName, "thresholds.json");
        // No SCL threshold can move these two: only the bulk route can.
        await File.WriteAllTextAsync(file, """{ "Scl": { "JunkThreshold": 10, "ArchiveThreshold": 10, "RejectThreshold": 10 }, "Bulk": { "Threshold": 7 } }""");
        await using var gateway = await StartWithThresholdsAsync(file);
        var newsletterTo = Unique("bulk");
        var letterTo = Unique("letter");
        var newsletter = TestMail.Text(newsletterTo, "Monthly update", "What the team shipped this month.", from: "news@shop.example");
        newsletter.Headers.Add("List-Unsubscribe", "<https://shop.example/u>");
        newsletter.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        newsletter.Headers.Add("Feedback-ID", "1:2:news");
        newsletter.MessageId = "x1@a.sendgrid.net";

        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, newsletter)).Code);
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text(letterTo, "lunch", "see you at noon"))).Code);

        var junk = await File.ReadAllTextAsync(Assert.Single(gateway.Messages(newsletterTo, ".Junk")));
        Assert.Contains("X-MailGateway-BCL: 7", junk);
        Assert.Matches(@"X-MailGateway-Trace: .*Bulk=bcl-7:list-unsubscribe\+one-click\+feedback-id\+esp", junk);
        var inbox = await File.ReadAllTextAsync(Assert.Single(gateway.Messages(letterTo)));
        Assert.Contains("X-MailGateway-BCL: 0", inbox);
        dir.Delete(true);
    }

    [Fact]
    public async Task A_bad_thresholds_file_stops_the_start_naming_the_key()
    {
        var dir = Directory.CreateTempSubdirectory("mailgw-thresholds-");
        var file = Path.Combine(dir.FullName, "thresholds.json");
        await File.WriteAllTextAsync(file, Thresholds(8, 3, 10));
        var (code, output) = await GatewayProcess.RunToExitAsync(new Dictionary<string, string>
        {
            ["Scl:ThresholdsFile"] = file,
            ["Storage:Root"] = Path.Combine(dir.FullName, "var"),
            ["Admin:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Antivirus:Enabled"] = "false",
        });
        Assert.Equal(1, code);
        Assert.Contains("mailgw: configuration error: Scl:JunkThreshold: must not be above Scl:ArchiveThreshold", output);
        dir.Delete(true);
    }

    [Fact]
    public async Task Release_puts_an_archived_message_into_the_inbox_once_marked_released_and_without_our_spam_verdict()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        var to = Unique("release");
        await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text(to, "release me", "you have won, but I am ham"));
        var archived = Assert.Single(gateway.ArchivedMessages());
        var id = Path.GetFileNameWithoutExtension(archived);

        var list = await Cli(gateway, "archive", "list", "--search", "release me");
        Assert.Contains(id, list.Output);
        Assert.Contains("\t9\tarchived\t", list.Output);

        var release = await Cli(gateway, "archive", "release", id);
        var again = await Cli(gateway, "archive", "release", id);

        Assert.True(release.ExitCode == 0, release.Output);
        var delivered = Assert.Single(gateway.Messages(to));
        Assert.True(again.ExitCode != 0, again.Output);
        Assert.Contains("already released", again.Output);
        Assert.Matches($"Admin release of {id} by cli:\\S+ from local: released", release.Output);
        Assert.Matches($"Admin release of {id} by cli:\\S+ from local: message {id} was already released", again.Output);

        // The released copy: our two lines on top, then the message from our Received header on, byte for byte; the
        // archive's verdict (SCL 9, spam flag YES, trace, envelope) is not on it.
        var archivedText = await File.ReadAllTextAsync(archived);
        Assert.Contains("X-Spam-Flag: YES\r\n", archivedText);
        Assert.Contains("X-MailGateway-SCL: 9\r\n", archivedText);
        var deliveredBytes = await File.ReadAllBytesAsync(delivered);
        var archivedBytes = await File.ReadAllBytesAsync(archived);
        var deliveredText = Encoding.ASCII.GetString(deliveredBytes);
        var lines = deliveredText.Split("\r\n");
        Assert.Matches(@"^X-MailGateway-Released: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$", lines[0]);
        Assert.Equal("X-Spam-Flag: NO", lines[1]);
        Assert.StartsWith("Received: from ", lines[2]);
        var messageStart = archivedText.IndexOf("\r\nReceived: from ", StringComparison.Ordinal) + 2;
        Assert.Equal(archivedBytes[messageStart..], deliveredBytes[(lines[0].Length + lines[1].Length + 4)..]);
        Assert.DoesNotContain("X-MailGateway-SCL", deliveredText);
        Assert.DoesNotContain("X-Spam-Flag: YES", deliveredText);

        var feedback = Assert.Single(Directory.GetFiles(Path.Combine(gateway.StorageRoot, "feedback", "ham")));
        Assert.StartsWith("Received: from ", await File.ReadAllTextAsync(feedback));
        Assert.Contains("\treleased\t", (await Cli(gateway, "archive", "list")).Output);
        Assert.NotEqual(0, (await Cli(gateway, "archive", "release", "nosuchid")).ExitCode);
    }

    private static Task<(int ExitCode, string Output)> Cli(GatewayProcess gateway, params string[] args) =>
        ExternalTool.RunAsync("dotnet", [RepoPaths.GatewayDll, .. args, $"--Storage:Root={gateway.StorageRoot}"]);
}
