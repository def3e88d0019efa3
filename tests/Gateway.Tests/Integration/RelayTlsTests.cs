using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// <c>Relay:Tls</c> against a real downstream that offers STARTTLS (or not) with a certificate made at test time,
/// self-signed or issued by a test CA, which the gateway trusts only when the test points its <c>SSL_CERT_FILE</c> at
/// that certificate or that CA.
/// </summary>
public class RelayTlsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static Dictionary<string, string> Settings(DownstreamSmtp downstream, string tls) => new()
    {
        ["Delivery:Mode"] = "Relay",
        // The queue is under test: recipients the next hop refuses or cannot take now must reach it, not be refused at RCPT.
        ["Recipients:Verify"] = "None",
        ["Relay:SmartHost"] = downstream.HostPort,
        ["Relay:Tls"] = tls,
        // One attempt per test: a deferred message waits an hour.
        ["Relay:RetrySchedule:0"] = "01:00:00",
    };

    /// <summary>Sends one message and waits until the gateway has recorded its deferral; returns the hop's last error.</summary>
    private static async Task<string> DeferredErrorAsync(GatewayProcess gateway, string to)
    {
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text(to, "tls", "secret"))).Code);
        Assert.True(await QueueFolder.WaitForStatesAsync(gateway, states => states.Count == 1
            && states[0].GetProperty("hops")[0].GetProperty("attempts").GetInt32() == 1, Wait), gateway.Output);
        return QueueFolder.States(gateway)[0].GetProperty("hops")[0].GetProperty("lastError").GetString()!;
    }

    [Fact]
    public async Task StartTlsWhenAvailable_delivers_over_tls_even_to_an_untrusted_certificate()
    {
        using var certificate = new TestCertificate();
        await using var downstream = await DownstreamSmtp.StartAsync(certificate);
        await using var gateway = await GatewayProcess.StartAsync(Settings(downstream, "StartTlsWhenAvailable"));
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text("opportunistic@example.org", "tls", "secret"))).Code);

        Assert.True(await downstream.WaitForAsync(m => m.Count == 1, Wait), gateway.Output);
        var received = Assert.Single(downstream.Messages());
        Assert.StartsWith("TLSv1.", received.Tls);
        Assert.True(await QueueFolder.WaitUntilEmptyAsync(gateway, Wait), gateway.Output);
    }

    [Fact]
    public async Task Tls_None_delivers_in_clear_even_when_the_next_hop_offers_starttls()
    {
        using var certificate = new TestCertificate();
        await using var downstream = await DownstreamSmtp.StartAsync(certificate);
        await using var gateway = await GatewayProcess.StartAsync(Settings(downstream, "None"));
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text("clear@example.org", "clear", "plain"))).Code);

        Assert.True(await downstream.WaitForAsync(m => m.Count == 1, Wait), gateway.Output);
        Assert.Null(Assert.Single(downstream.Messages()).Tls);
    }

    [Fact]
    public async Task StartTlsRequired_defers_instead_of_sending_to_a_certificate_the_gateway_does_not_trust()
    {
        using var certificate = new TestCertificate();
        await using var downstream = await DownstreamSmtp.StartAsync(certificate);
        await using var gateway = await GatewayProcess.StartAsync(Settings(downstream, "StartTlsRequired"));

        var error = await DeferredErrorAsync(gateway, "untrusted@example.org");
        Assert.Contains("SslHandshakeException", error);
        Assert.DoesNotContain("did not match", error);
        Assert.Empty(downstream.Messages());
        Assert.Single(QueueFolder.Files(gateway, "*.eml"));
    }

    [Fact]
    public async Task StartTlsRequired_defers_instead_of_sending_in_clear_when_the_next_hop_offers_no_starttls()
    {
        await using var downstream = await DownstreamSmtp.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(Settings(downstream, "StartTlsRequired"));

        var error = await DeferredErrorAsync(gateway, "cleartext@example.org");
        Assert.Contains("STARTTLS", error);
        Assert.Empty(downstream.Messages());
        Assert.Single(QueueFolder.Files(gateway, "*.eml"));
    }

    [Fact]
    public async Task StartTlsRequired_delivers_over_tls_to_a_certificate_the_gateway_trusts()
    {
        using var certificate = new TestCertificate();
        await using var downstream = await DownstreamSmtp.StartAsync(certificate);
        // The system trust store of the gateway process is this one certificate (OpenSSL's SSL_CERT_FILE, read by .NET).
        await using var gateway = await GatewayProcess.StartAsync(Settings(downstream, "StartTlsRequired"),
            new Dictionary<string, string> { ["SSL_CERT_FILE"] = certificate.CertificatePath });
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text("trusted@example.org", "tls", "secret"))).Code);

        Assert.True(await downstream.WaitForAsync(m => m.Count == 1, Wait), gateway.Output);
        Assert.StartsWith("TLSv1.", Assert.Single(downstream.Messages()).Tls);
    }

    [Fact]
    public async Task StartTlsRequired_delivers_over_tls_to_a_certificate_issued_by_an_authority_the_gateway_trusts()
    {
        using var authority = TestCertificate.Authority();
        using var certificate = authority.Issue();
        await using var downstream = await DownstreamSmtp.StartAsync(certificate);
        await using var gateway = await GatewayProcess.StartAsync(Settings(downstream, "StartTlsRequired"),
            new Dictionary<string, string> { ["SSL_CERT_FILE"] = authority.CertificatePath });
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text("internal-ca@example.org", "tls", "secret"))).Code);

        Assert.True(await downstream.WaitForAsync(m => m.Count == 1, Wait),
            string.Join('\n', QueueFolder.States(gateway)) + "\n" + gateway.Output);
        Assert.StartsWith("TLSv1.", Assert.Single(downstream.Messages()).Tls);
    }

    [Fact]
    public async Task StartTlsRequired_defers_when_the_certificate_does_not_name_the_next_hop()
    {
        using var authority = TestCertificate.Authority();
        using var certificate = authority.Issue();
        await using var downstream = await DownstreamSmtp.StartAsync(certificate);
        var settings = Settings(downstream, "StartTlsRequired");
        // The certificate names gw.test and 127.0.0.1, not localhost.
        settings["Relay:SmartHost"] = $"localhost:{downstream.Port}";
        await using var gateway = await GatewayProcess.StartAsync(settings,
            new Dictionary<string, string> { ["SSL_CERT_FILE"] = authority.CertificatePath });

        var error = await DeferredErrorAsync(gateway, "mismatch@example.org");
        Assert.Contains("SslHandshakeException", error);
        Assert.Contains("did not match", error);
        Assert.Empty(downstream.Messages());
    }

    [Fact]
    public async Task StartTlsRequired_defers_when_the_certificate_is_revoked()
    {
        using var authority = TestCertificate.Authority();
        // A new address each run: .NET caches downloaded CRLs per address (~/.dotnet/corefx/cryptography/crls).
        using var crl = new StaticHttpFile($"ca-{Guid.NewGuid():N}.crl", "application/pkix-crl");
        using var certificate = authority.Issue(crl.Url);
        crl.Content = authority.RevocationList(certificate);
        await using var downstream = await DownstreamSmtp.StartAsync(certificate);
        await using var gateway = await GatewayProcess.StartAsync(Settings(downstream, "StartTlsRequired"),
            new Dictionary<string, string> { ["SSL_CERT_FILE"] = authority.CertificatePath });

        var error = await DeferredErrorAsync(gateway, "revoked@example.org");
        Assert.Contains("SslHandshakeException", error);
        Assert.Contains("revoked", error);
        Assert.True(crl.Requests > 0);
        Assert.Empty(downstream.Messages());
    }
}
