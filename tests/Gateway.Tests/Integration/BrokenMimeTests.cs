using System.Text;
using System.Text.RegularExpressions;
using MailGateway.Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>The hostile and malformed MIME of ../shared/mime-edge, sent raw over SMTP to a gateway with a real clamd.</summary>
public class BrokenMimeTests(AntivirusGateway av, ITestOutputHelper output) : IClassFixture<AntivirusGateway>
{
    [SkippableFact]
    public async Task Every_hide_content_message_is_refused_as_a_virus_or_unscannable_and_none_reaches_a_mailbox()
    {
        var folder = Path.Combine(SharedData.MimeEdge, "noxxi-mime-is-broken", "hide-content");
        SharedData.SkipUnlessPresent(folder);
        var files = Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal).ToList();
        var perLevel = new SortedDictionary<string, (int Total, int Rejected)>();
        var missed = new List<string>();
        var unscannable = new List<string>();
        await using var client = await RawSmtpClient.ConnectAsync(av.Gateway.SmtpPort);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            var level = Regex.Match(Encoding.Latin1.GetString(bytes), @"Subject: \[(\d)\]").Groups[1].Value;
            RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<me@sender.test>"), 250);
            RawSmtpClient.Expect(await client.CommandAsync("RCPT TO:<hide@example.org>"), 250);
            RawSmtpClient.Expect(await client.CommandAsync("DATA"), 354);
            await client.SendAsync(WireFormat.Stuff(WireFormat.NormalizeLineEnds(bytes)));
            var reply = await client.ReadReplyAsync();
            var (total, rejected) = perLevel.GetValueOrDefault(level);
            perLevel[level] = (total + 1, rejected + (reply.Code == 554 ? 1 : 0));
            if (reply.Text.Contains("cannot be scanned"))
            {
                unscannable.Add(Path.GetFileName(file));
            }

            if (reply.Code != 554)
            {
                missed.Add($"{Path.GetFileName(file)}: {reply}");
            }
        }

        foreach (var (level, (total, rejected)) in perLevel)
        {
            output.WriteLine($"validity level {level}: {rejected}/{total} refused with 554");
        }

        foreach (var miss in missed)
        {
            output.WriteLine($"missed {miss}");
        }

        output.WriteLine($"refused as unscannable (BinHex, no decodable payload): {unscannable.Count}: {string.Join(' ', unscannable)}");
        Assert.Equal(372, files.Count);
        Assert.Empty(missed);
        Assert.Empty(av.Gateway.Messages("hide@example.org"));
    }

    [SkippableFact]
    public async Task Every_other_mime_edge_message_is_stored_byte_exact_or_refused_as_a_virus()
    {
        SharedData.SkipUnlessPresent(SharedData.MimeEdge);
        var files = Directory.GetFiles(SharedData.MimeEdge, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("hide-content") && !f.Contains("smtp-smuggling") && !f.EndsWith(".json") && !f.EndsWith(".md"))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        var accepted = 0;
        var viruses = 0;
        await using var client = await RawSmtpClient.ConnectAsync(av.Gateway.SmtpPort);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        for (var i = 0; i < files.Count; i++)
        {
            var to = $"edge{i}@example.org";
            var normalized = WireFormat.NormalizeLineEnds(await File.ReadAllBytesAsync(files[i]));
            RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<me@sender.test>"), 250);
            RawSmtpClient.Expect(await client.CommandAsync($"RCPT TO:<{to}>"), 250);
            RawSmtpClient.Expect(await client.CommandAsync("DATA"), 354);
            await client.SendAsync(WireFormat.Stuff(normalized));
            var reply = await client.ReadReplyAsync();
            Assert.True(reply.Code is 250 or 554, $"{files[i]}: {reply}");
            if (reply.Code == 554)
            {
                viruses++;
                Assert.Empty(av.Gateway.StoredCopies(to));
                continue;
            }

            accepted++;
            var stored = Assert.Single(av.Gateway.StoredCopies(to));
            // Byte-exact apart from the verdict headers the cleanup stage removes (X-Virus-Scanned of other hosts …).
            Assert.True(VerdictHeaders.Removed(normalized).AsSpan().SequenceEqual(StoredMessage.WithoutOurReceived(stored)),
                $"stored copy of {files[i]} differs from what was sent");
        }

        output.WriteLine($"{files.Count} messages: {accepted} stored byte-exact, {viruses} refused as viruses");
        Assert.True(accepted > 200, $"only {accepted} accepted");
    }

    [SkippableFact]
    public async Task The_smuggling_streams_never_produce_a_second_message()
    {
        var folder = Path.Combine(SharedData.MimeEdge, "smtp-smuggling");
        SharedData.SkipUnlessPresent(folder);
        var files = Directory.GetFiles(folder, "*.data").OrderBy(f => f, StringComparer.Ordinal).ToList();
        Assert.Equal(10, files.Count);
        foreach (var file in files)
        {
            var to = $"smuggle-{Path.GetFileNameWithoutExtension(file)}@example.org";
            await using var client = await RawSmtpClient.ConnectAsync(av.Gateway.SmtpPort);
            await client.BeginMessageAsync("alice@sender.test", to);
            await client.SendAsync(await File.ReadAllBytesAsync(file));
            RawSmtpClient.Expect(await client.ReadReplyAsync(), 250);
            Assert.Equal(221, (await client.CommandAsync("QUIT")).Code);
            var stored = Assert.Single(av.Gateway.Messages(to));
            Assert.Contains("smuggled", await File.ReadAllTextAsync(stored));
        }

        Assert.Empty(av.Gateway.Messages("bob@example.org"));
    }

    [SkippableFact]
    public async Task Mailgw_score_reads_every_mime_edge_message_without_a_crash()
    {
        SharedData.SkipUnlessPresent(SharedData.MimeEdge);
        var files = Directory.GetFiles(SharedData.MimeEdge, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".json") && !f.EndsWith(".md")).ToList();
        var (code, text) = await ExternalTool.RunAsync("dotnet", RepoPaths.GatewayDll, "score", "--format", "tsv", SharedData.MimeEdge);
        Assert.True(code == 0, text[..Math.Min(text.Length, 2000)]);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith(SharedData.MimeEdge)).ToList();
        output.WriteLine($"mailgw score: {lines.Count} lines for {files.Count} files");
        Assert.True(lines.Count >= files.Count, $"{lines.Count} lines for {files.Count} files");
        // The probability is empty when a keyword forced the SCL and the model was skipped.
        Assert.All(lines, l => Assert.Matches(@"^[^\t]+\t-?\d\t[0-9.]*\t\S", l));
    }
}
