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

        var stored = Assert.Single(tls.Gateway.Messages(to));
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
