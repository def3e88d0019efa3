using System.Net;
using System.Net.Sockets;
using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

public sealed class AntivirusGateway : IAsyncLifetime
{
    public ClamdProcess Clamd { get; } = new();

    public GatewayProcess Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Clamd.InitializeAsync();
        Gateway = await GatewayProcess.StartAsync(Clamd.Settings);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Clamd.DisposeAsync();
    }
}

public class AntivirusTests(AntivirusGateway av) : IClassFixture<AntivirusGateway>
{
    private static string Unique(string local) => $"{local}-{Guid.NewGuid():N}"[..18] + "@example.org";

    public static TheoryData<string, string> Samples => new()
    {
        { "eicar.com", "Eicar-Test-Signature" },
        { "clam.zip", "clam" },
        { "clam.7z", "clam" },
        { "nested.zip", "clam.exe" },
    };

    private static byte[] Sample(string name) => name switch
    {
        "eicar.com" => TestMail.Eicar,
        "nested.zip" => TestMail.Zip("inner/clam.exe", File.ReadAllBytes(Path.Combine(TestMail.ClamTestFiles, "clam.exe"))),
        _ => File.ReadAllBytes(Path.Combine(TestMail.ClamTestFiles, name)),
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task An_infected_attachment_is_rejected_with_554_naming_the_signature(string file, string signature)
    {
        var to = Unique("virus");
        var (code, text) = await TestMail.SendAsync(av.Gateway.SmtpPort,
            TestMail.WithAttachment(to, "infected " + file, file, Sample(file)));
        Assert.Equal(554, code);
        Assert.Contains("message rejected: virus found (", text);
        Assert.Contains(signature, text);
        Assert.Empty(av.Gateway.StoredCopies(to));
        Assert.DoesNotContain(av.Gateway.ArchivedMessages(), f => File.ReadAllText(f).Contains(to));
    }

    [Fact]
    public async Task A_4_mb_unencoded_binary_body_with_six_line_breaks_is_scanned_and_delivered()
    {
        // Issue 21 item 9: its 65 line-break readings (4 MB each) were all built before the tolerant pass refused
        // them; now the pass stops at its 16 MB budget (TolerantPartExtractorTests measures the allocation).
        var to = Unique("binary");
        var body = new byte[4 * 1024 * 1024];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = (byte)(i % 7 == 0 ? 0 : i % 11 == 0 ? 1 : 'A' + i % 26);
        }

        for (var k = 1; k <= 6; k++)
        {
            body[body.Length / 7 * k] = (byte)'\r';
            body[body.Length / 7 * k + 1] = (byte)'\n';
        }

        byte[] message =
        [
            .. Encoding.ASCII.GetBytes("Subject: binary\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                                       + "--b\r\nContent-Type: application/octet-stream\r\n\r\n"),
            .. body,
            .. "\r\n--b--\r\n"u8,
        ];
        await using var client = await RawSmtpClient.ConnectAsync(av.Gateway.SmtpPort);
        await client.BeginMessageAsync("binary@sender.test", to);
        await client.SendAsync(WireFormat.Stuff(message));

        Assert.Equal(250, (await client.ReadReplyAsync(TimeSpan.FromSeconds(120))).Code);
        var stored = Assert.Single(av.Gateway.StoredCopies(to));
        var headers = (await File.ReadAllTextAsync(stored)).Split("\r\n\r\n")[0];
        Assert.Matches(@"X-MailGateway-Trace: .*Antivirus=clean\S*tolerant", headers);
    }

    [Fact]
    public async Task A_clean_message_is_delivered_with_the_engine_version_header()
    {
        var to = Unique("clean");
        var (code, _) = await TestMail.SendAsync(av.Gateway.SmtpPort, TestMail.Text(to, "clean", "nothing to see"));
        Assert.Equal(250, code);
        var stored = Assert.Single(av.Gateway.StoredCopies(to));
        Assert.Matches(@"(?m)^X-Virus-Scanned: ClamAV \d+\.\d+", await File.ReadAllTextAsync(stored));
    }

    [Fact]
    public async Task Onerror_accept_with_clamd_down_delivers_with_a_skipped_header()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Antivirus:Enabled"] = "true",
            ["Antivirus:Port"] = FreePort.Next().ToString(),
            ["Antivirus:OnError"] = "Accept",
        });
        var (code, _) = await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text("bob@example.org", "x", "y"));
        Assert.Equal(250, code);
        var stored = Assert.Single(gateway.StoredCopies("bob@example.org"));
        Assert.Contains("X-Virus-Scanned: skipped (unreachable)", await File.ReadAllTextAsync(stored));
    }

    [Fact]
    public async Task Clamd_unreachable_gives_451_4_7_1_and_nothing_is_delivered()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Antivirus:Enabled"] = "true",
            ["Antivirus:Port"] = FreePort.Next().ToString(),
        });
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await client.BeginMessageAsync("a@sender.test", "bob@example.org");
        await client.SendAsync("Subject: x\r\n\r\ny\r\n.\r\n");
        var reply = await client.ReadReplyAsync();
        Assert.Equal(451, reply.Code);
        Assert.Equal("4.7.1", reply.Enhanced);
        Assert.Empty(gateway.AllStoredMessages());
    }

    [Fact]
    public async Task A_clamd_that_never_answers_gives_451_after_the_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = new List<TcpClient>();
        var acceptLoop = Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await silent.AcceptTcpClientAsync());
            }
        });
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Antivirus:Enabled"] = "true",
            ["Antivirus:Port"] = port.ToString(),
            ["Antivirus:TimeoutSeconds"] = "2",
        });
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await client.BeginMessageAsync("a@sender.test", "bob@example.org");
        var started = DateTime.UtcNow;
        await client.SendAsync("Subject: x\r\n\r\ny\r\n.\r\n");
        var reply = await client.ReadReplyAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(451, reply.Code);
        Assert.Equal("4.7.1", reply.Enhanced);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(1.5));
        Assert.Empty(gateway.AllStoredMessages());
        silent.Stop();
        accepted.ForEach(c => c.Dispose());
        _ = acceptLoop;
    }

    [Fact]
    public async Task Oninfected_archive_keeps_the_virus_in_the_archive_only()
    {
        var settings = av.Clamd.Settings;
        settings["Antivirus:OnInfected"] = "Archive";
        await using var gateway = await GatewayProcess.StartAsync(settings);
        var (code, _) = await TestMail.SendAsync(gateway.SmtpPort,
            TestMail.WithAttachment("bob@example.org", "archive me", "eicar.com", TestMail.Eicar));
        Assert.Equal(250, code);
        Assert.Empty(gateway.AllStoredMessages());
        var archived = Assert.Single(gateway.ArchivedMessages());
        Assert.Contains($"{Path.DirectorySeparatorChar}archive{Path.DirectorySeparatorChar}virus{Path.DirectorySeparatorChar}", archived);
        var text = await File.ReadAllTextAsync(archived);
        Assert.Contains("X-Virus-Found: Eicar-Test-Signature", text);
        Assert.Contains("X-MailGateway-Envelope-To: <bob@example.org>", text);
    }
}

public class ZipBombTests(AntivirusGateway av) : IClassFixture<AntivirusGateway>
{
    [Fact]
    public async Task A_zip_bomb_gets_a_clear_answer_within_the_scan_timeout_and_the_gateway_keeps_working()
    {
        // 400 MB of zeros compress to well under 1 MB: clamd's scan limits answer, the gateway must not hang.
        var bomb = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(bomb, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var entry = zip.CreateEntry("zeros.bin", System.IO.Compression.CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 400; i++)
            {
                await entry.WriteAsync(zeros);
            }
        }

        Assert.True(bomb.Length < 2 * 1024 * 1024, $"bomb is {bomb.Length} bytes");
        var started = DateTime.UtcNow;
        var (code, text) = await TestMail.SendAsync(av.Gateway.SmtpPort,
            TestMail.WithAttachment("bomb@example.org", "zip bomb", "bomb.zip", bomb.ToArray()));
        var elapsed = DateTime.UtcNow - started;
        Assert.True(code is 250 or 451 or 554, $"{code} {text}");
        Assert.True(elapsed < TimeSpan.FromSeconds(60), $"took {elapsed}");
        Assert.Equal(250, (await TestMail.SendAsync(av.Gateway.SmtpPort, TestMail.Text("after-bomb@example.org", "hello", "normal mail"))).Code);
    }
}
