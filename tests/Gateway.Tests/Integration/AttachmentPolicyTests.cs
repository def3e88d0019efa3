using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;
using MimeKit;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// Issue 19 item 7 through a real gateway and real SMTP: blocked names and real types refused at the end of DATA or
/// archived, a zip holding a .js, an encrypted zip, an archive bomb; the verdicts on /metrics.
/// </summary>
public class AttachmentPolicyTests(AttachmentPolicyTests.DefaultGateway shared) : IClassFixture<AttachmentPolicyTests.DefaultGateway>
{
    /// <summary>A gateway with the shipped attachment settings.</summary>
    public sealed class DefaultGateway : IAsyncLifetime
    {
        public GatewayProcess Gateway { get; private set; } = null!;

        public async Task InitializeAsync() => Gateway = await GatewayProcess.StartAsync();

        public async Task DisposeAsync() => await Gateway.DisposeAsync();
    }

    private static readonly byte[] Executable = [.. "MZ"u8, .. new byte[1022]];

    private static string Unique(string local) => $"{local}-{Guid.NewGuid():N}"[..18] + "@example.org";

    private static byte[] Zip(string name, byte[] content)
    {
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry(name).Open();
            entry.Write(content);
        }

        return buffer.ToArray();
    }

    /// <summary>Sends over raw SMTP; returns the reply at the end of DATA.</summary>
    private static async Task<RawSmtpClient.Reply> SendAsync(GatewayProcess gateway, MimeMessage message)
    {
        var bytes = new MemoryStream();
        message.WriteTo(FormatOptions.Default, bytes);
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await client.BeginMessageAsync("sender@sender.test", message.To.Mailboxes.Select(m => m.Address).ToArray());
        await client.SendAsync(WireFormat.Stuff(WireFormat.NormalizeLineEnds(bytes.ToArray())));
        return await client.ReadReplyAsync(TimeSpan.FromSeconds(120));
    }

    private static string Trace(string path) =>
        File.ReadLines(path).TakeWhile(l => l.Length > 0).Single(l => l.StartsWith("X-MailGateway-Trace: ", StringComparison.Ordinal));

    [Fact]
    public async Task A_blocked_exe_is_refused_with_554_5_7_1_at_the_end_of_data_and_nothing_is_stored()
    {
        var to = Unique("exe");

        var reply = await SendAsync(shared.Gateway, TestMail.WithAttachment(to, "setup", "setup.exe", Executable));

        Assert.Equal((554, "5.7.1"), (reply.Code, reply.Enhanced));
        Assert.Contains("attachment not allowed (setup.exe: name(.exe))", reply.Text);
        Assert.Empty(shared.Gateway.StoredCopies(to));
    }

    [Fact]
    public async Task An_executable_renamed_to_pdf_is_refused_by_its_real_type()
    {
        var to = Unique("renamed");

        var reply = await SendAsync(shared.Gateway, TestMail.WithAttachment(to, "invoice", "invoice.pdf", Executable));

        Assert.Equal((554, "5.7.1"), (reply.Code, reply.Enhanced));
        Assert.Contains("invoice.pdf: type(PeExecutable)", reply.Text);
    }

    [Fact]
    public async Task A_zip_holding_a_js_file_is_refused_naming_the_entry()
    {
        var to = Unique("zipjs");

        var reply = await SendAsync(shared.Gateway,
            TestMail.WithAttachment(to, "order", "order.zip", Zip("docs/order.js", "WScript.Echo(1)"u8.ToArray())));

        Assert.Equal((554, "5.7.1"), (reply.Code, reply.Enhanced));
        Assert.Contains("order.zip/docs/order.js: name(.js)", reply.Text);
        Assert.Empty(shared.Gateway.StoredCopies(to));
    }

    [Fact]
    public async Task An_ordinary_attachment_is_delivered_with_the_stage_in_the_trace()
    {
        var to = Unique("pdf");

        var reply = await SendAsync(shared.Gateway,
            TestMail.WithAttachment(to, "report about project phoenix", "report.pdf", Encoding.ASCII.GetBytes("%PDF-1.7\n%%EOF\n")));

        Assert.Equal(250, reply.Code);
        Assert.Contains("Attachments=clean(2parts)", Trace(Assert.Single(shared.Gateway.StoredCopies(to))));
    }

    [Fact]
    public async Task A_password_protected_zip_is_refused_by_default_and_archived_when_configured()
    {
        var folder = Directory.CreateTempSubdirectory("mailgw-zip-").FullName;
        byte[] locked;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "contract.docx"), "not really a document");
            var (code, output) = await ExternalTool.RunAsync("sh", "-c", $"cd '{folder}' && zip -q -P secret locked.zip contract.docx");
            Assert.True(code == 0, output);
            locked = await File.ReadAllBytesAsync(Path.Combine(folder, "locked.zip"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var to = Unique("locked");
        var reply = await SendAsync(shared.Gateway, TestMail.WithAttachment(to, "contract", "contract.zip", locked));
        Assert.Equal((554, "5.7.1"), (reply.Code, reply.Enhanced));
        Assert.Contains("password-protected archive cannot be scanned (contract.zip)", reply.Text);

        await using var archiving = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Attachments:OnEncryptedArchive"] = "Archive",
        });
        var archivedTo = Unique("lockarc");
        Assert.Equal(250, (await SendAsync(archiving, TestMail.WithAttachment(archivedTo, "contract", "contract.zip", locked))).Code);
        Assert.Empty(archiving.AllStoredMessages());
        var archived = Assert.Single(archiving.StoredCopies(archivedTo));
        Assert.Contains("Attachments=encrypted(contract.zip:encrypted-archive)-archived", Trace(archived));
    }

    [Fact]
    public async Task Archive_action_keeps_a_blocked_message_in_the_archive_with_a_trace_entry()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["Attachments:Action"] = "Archive" });
        var to = Unique("archived");

        var reply = await SendAsync(gateway, TestMail.WithAttachment(to, "screensaver", "nice.scr", Executable));

        Assert.Equal(250, reply.Code);
        Assert.Empty(gateway.AllStoredMessages());
        var archived = Assert.Single(gateway.ArchivedMessages());
        Assert.Contains($"X-MailGateway-Envelope-To: <{to}>", await File.ReadAllTextAsync(archived));
        Assert.Contains("Attachments=blocked(nice.scr:name(.scr))-archived", Trace(archived));
    }

    [Fact]
    public async Task An_archive_bomb_gets_a_verdict_in_bounded_time_and_is_archived_not_delivered()
    {
        // 1 GiB of zeros in a zip of about 1 MB: over Attachments:MaxExpandedBytes before anything is decompressed.
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var entry = zip.CreateEntry("zeros.bin", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 1024; i++)
            {
                await entry.WriteAsync(zeros);
            }
        }

        var to = Unique("bomb");
        var watch = Stopwatch.StartNew();
        var reply = await SendAsync(shared.Gateway, TestMail.WithAttachment(to, "bomb", "bomb.zip", buffer.ToArray()));
        var elapsed = watch.Elapsed;

        Assert.Equal(250, reply.Code);
        Assert.Empty(shared.Gateway.Messages(to));
        Assert.Empty(shared.Gateway.Messages(to, ".Junk"));
        var archived = Assert.Single(shared.Gateway.StoredCopies(to));
        Assert.Matches(@"Attachments=unscannable\(bomb\.zip:archive-expands>268435456\)-archived\[(\d+)us\]", Trace(archived));
        Console.WriteLine($"bomb: {buffer.Length} bytes zipped, 1 GiB declared; end of DATA to reply {elapsed.TotalMilliseconds:F0} ms; "
                          + Trace(archived));
    }

    [Fact]
    public async Task Verdicts_are_counted_on_metrics()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        Assert.Equal(554, (await SendAsync(gateway, TestMail.WithAttachment(Unique("m"), "x", "x.vbs", "MsgBox 1"u8.ToArray()))).Code);

        using var http = new HttpClient();
        var text = "";
        for (var i = 0; i < 20 && !text.Contains("mailgateway_attachments_verdicts_total"); i++)
        {
            await Task.Delay(500);
            text = await http.GetStringAsync($"http://127.0.0.1:{gateway.AdminPort}/metrics");
        }

        Assert.Matches(@"mailgateway_attachments_verdicts_total\{[^}]*action=""reject""[^}]*verdict=""blocked""[^}]*\} 1", text);
        Assert.Matches(@"mailgateway_attachments_messages_total\{[^}]*\} 1", text);
        Assert.Contains("filter=\"Attachments\"", text);
    }
}
