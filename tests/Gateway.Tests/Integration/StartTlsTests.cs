using MailGateway.Gateway.Tests.Infrastructure;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace MailGateway.Gateway.Tests.Integration;

public sealed class TlsGateway : IAsyncLifetime
{
    public TestCertificate Certificate { get; } = new();

    public GatewayProcess Gateway { get; private set; } = null!;

    public async Task InitializeAsync() => Gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
    {
        ["Smtp:Tls:CertificatePath"] = Certificate.CertificatePath,
        ["Smtp:Tls:KeyPath"] = Certificate.KeyPath,
    });

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        Certificate.Dispose();
    }
}

public class StartTlsTests(TlsGateway tls) : IClassFixture<TlsGateway>
{
    [Fact]
    public async Task MailKit_sends_over_starttls_with_a_certificate_made_at_test_time()
    {
        var to = $"tls-{Guid.NewGuid():N}"[..14] + "@example.org";
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("tls@sender.test"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = "over TLS";
        message.Body = new TextPart("plain") { Text = "secret" };
        using (var smtp = new SmtpClient())
        {
            smtp.ServerCertificateValidationCallback = (_, cert, _, _) => cert!.Subject == "CN=gw.test";
            await smtp.ConnectAsync("127.0.0.1", tls.Gateway.SmtpPort, SecureSocketOptions.StartTls);
            Assert.True(smtp.IsSecure);
            await smtp.SendAsync(message);
            await smtp.DisconnectAsync(true);
        }

        var stored = Assert.Single(tls.Gateway.StoredCopies(to));
        Assert.Contains("with ESMTPS id", await File.ReadAllTextAsync(stored));
    }

    [Fact]
    public async Task Commands_pipelined_behind_starttls_in_plaintext_are_discarded()
    {
        await using var client = await RawSmtpClient.ConnectAsync(tls.Gateway.SmtpPort);
        var ehlo = RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        Assert.Contains(ehlo.Lines, l => l[4..] == "STARTTLS");
        await client.SendAsync("STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\nRCPT TO:<bob@example.org>\r\n");
        RawSmtpClient.Expect(await client.ReadReplyAsync(), 220);
        await client.StartTlsAsync();
        // Had the injected commands survived, their replies would come before the EHLO reply.
        var afterTls = await client.CommandAsync("EHLO client.test");
        Assert.Equal(250, afterTls.Code);
        Assert.Contains("greets client.test", afterTls.Lines[0]);
        Assert.DoesNotContain(afterTls.Lines, l => l.Contains("STARTTLS"));
        Assert.Equal(503, (await client.CommandAsync("RCPT TO:<bob@example.org>")).Code);
    }

    [Fact]
    public async Task Starttls_needs_a_fresh_ehlo_and_a_second_starttls_is_refused()
    {
        await using var client = await RawSmtpClient.ConnectAsync(tls.Gateway.SmtpPort);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("STARTTLS"), 220);
        await client.StartTlsAsync();
        Assert.Equal(503, (await client.CommandAsync("MAIL FROM:<a@b.test>")).Code);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        Assert.Equal(503, (await client.CommandAsync("STARTTLS")).Code);
    }

    [Fact]
    public async Task Without_a_certificate_starttls_is_neither_advertised_nor_accepted()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        var ehlo = RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        Assert.DoesNotContain(ehlo.Lines, l => l.Contains("STARTTLS"));
        var reply = await client.CommandAsync("STARTTLS");
        Assert.Equal(502, reply.Code);
        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
    }

    [Fact]
    public async Task Tls_required_refuses_mail_before_starttls_with_530()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Smtp:Tls:CertificatePath"] = tls.Certificate.CertificatePath,
            ["Smtp:Tls:KeyPath"] = tls.Certificate.KeyPath,
            ["Smtp:Tls:Required"] = "true",
        });
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        var reply = await client.CommandAsync("MAIL FROM:<a@b.test>");
        Assert.Equal(530, reply.Code);
        Assert.Equal("5.7.0", reply.Enhanced);
        RawSmtpClient.Expect(await client.CommandAsync("STARTTLS"), 220);
        await client.StartTlsAsync();
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<a@b.test>"), 250);
    }
}

/// <summary>
/// The TLS versions STARTTLS accepts. The machine's OpenSSL client cannot speak TLS 1.0/1.1 at all, so the test
/// writes the ClientHello itself: the same hello offering TLS 1.2 gets a ServerHello, offering 1.1 or 1.0 an alert.
/// </summary>
public class TlsVersionTests(TlsGateway tls) : IClassFixture<TlsGateway>
{
    [Theory]
    [InlineData(0x0303, 22)] // TLS 1.2 -> handshake record (ServerHello)
    [InlineData(0x0302, 21)] // TLS 1.1 -> alert record
    [InlineData(0x0301, 21)] // TLS 1.0 -> alert record
    public async Task Only_tls_1_2_and_later_get_a_server_hello(int version, int expectedRecordType)
    {
        await using var client = await RawSmtpClient.ConnectAsync(tls.Gateway.SmtpPort);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("STARTTLS"), 220);
        await client.SendAsync(ClientHello((ushort)version));
        var header = new byte[7];
        var read = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (read < header.Length)
        {
            var n = await client.Stream.ReadAsync(header.AsMemory(read), cts.Token);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        Assert.True(read >= 1, "the server closed without answering the ClientHello");
        Assert.Equal(expectedRecordType, header[0]);
        if (expectedRecordType == 22)
        {
            Assert.Equal(2, header[5]); // handshake type ServerHello
        }
    }

    [Fact]
    public async Task A_real_client_negotiates_tls_1_2_or_1_3()
    {
        var (_, output) = await ExternalTool.RunAsync("bash", "-c",
            $"(sleep 1; echo QUIT) | timeout 20 openssl s_client -connect 127.0.0.1:{tls.Gateway.SmtpPort} -starttls smtp 2>&1");
        Assert.Matches(@"New, TLSv1\.[23]", output);
    }

    private static byte[] ClientHello(ushort version)
    {
        var body = new List<byte>();
        body.AddRange([(byte)(version >> 8), (byte)version]);
        body.AddRange(Enumerable.Range(0, 32).Select(i => (byte)i)); // random
        body.Add(0); // session id
        byte[] suites = [0xC0, 0x2F, 0xC0, 0x30, 0xC0, 0x13, 0xC0, 0x14, 0x00, 0x2F, 0x00, 0x35, 0x00, 0x9C];
        body.AddRange([0, (byte)suites.Length]);
        body.AddRange(suites);
        body.AddRange([1, 0]); // compression: null
        byte[] extensions =
        [
            0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x1d, 0x00, 0x17, // supported_groups: x25519, secp256r1
            0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, // ec_point_formats: uncompressed
            0x00, 0x0d, 0x00, 0x08, 0x00, 0x06, 0x08, 0x04, 0x04, 0x01, 0x02, 0x01, // signature_algorithms
        ];
        body.AddRange([(byte)(extensions.Length >> 8), (byte)extensions.Length]);
        body.AddRange(extensions);
        var handshake = new List<byte> { 1, 0, (byte)(body.Count >> 8), (byte)body.Count };
        handshake.AddRange(body);
        var record = new List<byte> { 22, 0x03, 0x01, (byte)(handshake.Count >> 8), (byte)handshake.Count };
        record.AddRange(handshake);
        return record.ToArray();
    }
}
