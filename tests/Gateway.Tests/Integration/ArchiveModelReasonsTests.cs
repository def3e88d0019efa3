using System.Text.RegularExpressions;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>The archive's message view gives the model's reasons beside its SCL, over plain HTTP from a real gateway.</summary>
public class ArchiveModelReasonsTests
{
    [Fact]
    public async Task The_message_view_names_the_features_that_made_the_model_archive_a_spam()
    {
        var folder = Directory.CreateTempSubdirectory("mailgw-reasons-").FullName;
        var thresholds = Path.Combine(folder, "thresholds.json");
        await File.WriteAllTextAsync(thresholds, """{ "Scl": { "JunkThreshold": 3, "ArchiveThreshold": 4, "RejectThreshold": 10 } }""");
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["Scl:ThresholdsFile"] = thresholds });
        var spam = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "corpus", "spam"), "00375*.eml").Single();
        await using (var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort))
        {
            await client.BeginMessageAsync("sender@sender.test", "reasons@example.org");
            await client.SendAsync(WireFormat.Stuff(WireFormat.NormalizeLineEnds(await File.ReadAllBytesAsync(spam))));
            Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        }

        var id = Path.GetFileNameWithoutExtension(Assert.Single(gateway.StoredCopies("reasons@example.org")));
        using var pages = new AdminPages(gateway.AdminPort);
        var html = await (await pages.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/archive/{id}"))).Content.ReadAsStringAsync();

        var model = Regex.Match(html, "<dt>Model</dt><dd>(?<words>[^<]*)<div class=reasons>(?<reasons>[^<]*)</div></dd>");
        Assert.True(model.Success, html);
        Assert.Matches(@"^SCL [4-9] \(spam probability \d+%\)", model.Groups["words"].Value);
        Assert.Matches(@"^why: [^;]+ \(\+\d+\.\d\)", System.Net.WebUtility.HtmlDecode(model.Groups["reasons"].Value));
        Assert.Contains(", scored again now)", model.Groups["reasons"].Value, StringComparison.Ordinal);
    }
}
