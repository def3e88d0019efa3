using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>A CA and signer made with openssl, one gateway storing in Maildir and one relaying to a real downstream server.</summary>
public sealed class SmimeGateways : IAsyncLifetime
{
    public OpensslSmime Pki { get; private set; } = null!;

    public GatewayProcess Maildir { get; private set; } = null!;

    public GatewayProcess Relay { get; private set; } = null!;

    public DownstreamSmtp Downstream { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Pki = await OpensslSmime.CreateAsync();
        Downstream = await DownstreamSmtp.StartAsync();
        Maildir = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["Smime:TrustStore"] = Pki.TrustStore });
        Relay = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Smime:TrustStore"] = Pki.TrustStore,
            ["Delivery:Mode"] = "Relay",
            ["Recipients:Verify"] = "None",
            ["Relay:SmartHost"] = Downstream.HostPort,
            ["Relay:Tls"] = "None",
        });
    }

    public async Task DisposeAsync()
    {
        await Relay.DisposeAsync();
        await Maildir.DisposeAsync();
        await Downstream.DisposeAsync();
        await Pki.DisposeAsync();
    }
}

/// <summary>
/// Issue 19 item 8: signed mail passes through Maildir and relay with its signature intact (openssl verifies the stored
/// and the relayed copies), the signature is reported (smime=pass|fail with the signer), encrypted mail gets its policy.
/// </summary>
public class SmimeTests(SmimeGateways gateways) : IClassFixture<SmimeGateways>
{
    private static string Unique(string local) => $"{local}-{Guid.NewGuid():N}"[..18] + "@example.org";

    /// <summary>Sends <paramref name="message"/> as it is (dot-stuffed only) and returns the reply at the end of DATA.</summary>
    private static async Task<RawSmtpClient.Reply> SendAsync(GatewayProcess gateway, string to, byte[] message)
    {
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await client.BeginMessageAsync(OpensslSmime.Signer, to);
        // DATA ends only at CRLF.CRLF: a last line ending in a bare LF gets its CR here.
        var ending = message.AsSpan().EndsWith("\r\n"u8) ? message
            : [.. message.AsSpan(0, message[^1] == '\n' ? message.Length - 1 : message.Length), .. "\r\n"u8];
        await client.SendAsync(WireFormat.Stuff(ending));
        return await client.ReadReplyAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>openssl's file with every line end CRLF, as an MTA submits it.</summary>
    private static byte[] Wire(byte[] opensslOutput) => WireFormat.NormalizeLineEnds(opensslOutput);

    private static string Headers(string path) => File.ReadAllText(path).Split("\r\n\r\n")[0].Replace("\r\n ", " ").Replace("\r\n\t", " ");

    [Fact]
    public async Task A_signed_message_is_stored_byte_intact_and_openssl_verifies_the_maildir_copy()
    {
        var to = Unique("signed");
        var wire = Wire(await gateways.Pki.SignAsync("figures", "The quarterly figures.\nRegards, Alice"));

        Assert.Equal(250, (await SendAsync(gateways.Maildir, to, wire)).Code);

        var stored = Assert.Single(gateways.Maildir.StoredCopies(to));
        Assert.Equal(wire, StoredMessage.WithoutOurReceived(stored));
        var (code, output) = await gateways.Pki.VerifyAsync(stored);
        Assert.True(code == 0, output);
        var headers = Headers(stored);
        Assert.Contains($"Smime=pass({OpensslSmime.Signer})", headers);
        Assert.Matches($@"Authentication-Results: gw\.test;[^\r\n]*; smime=pass body\.smime-identifier={OpensslSmime.Signer}", headers);
        Console.WriteLine(headers.Split("\r\n").Single(l => l.StartsWith("X-MailGateway-Trace:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_signed_message_is_relayed_byte_intact_and_openssl_verifies_the_relayed_copy()
    {
        var to = Unique("relayed");
        var wire = Wire(await gateways.Pki.SignAsync("relayed figures", "Relayed figures.\nRegards, Alice"));

        Assert.Equal(250, (await SendAsync(gateways.Relay, to, wire)).Code);

        Assert.True(await gateways.Downstream.WaitForAsync(m => m.Any(r => r.To.Contains(to)), TimeSpan.FromSeconds(60)),
            gateways.Relay.Output);
        var relayed = Assert.Single(gateways.Downstream.MessagesFor(to));
        Assert.Equal(wire, StoredMessage.WithoutOurReceived(relayed.Path));
        var (code, output) = await gateways.Pki.VerifyAsync(relayed.Path);
        Assert.True(code == 0, output);
        Assert.Contains($"Smime=pass({OpensslSmime.Signer})", Headers(relayed.Path));
    }

    [Fact]
    public async Task An_opaque_signed_message_passes_through_intact_and_verifies()
    {
        var to = Unique("opaque");
        var wire = Wire(await gateways.Pki.SignAsync("opaque", "Signed inside the signature.", opaque: true));

        Assert.Equal(250, (await SendAsync(gateways.Maildir, to, wire)).Code);

        var stored = Assert.Single(gateways.Maildir.StoredCopies(to));
        Assert.Equal(wire, StoredMessage.WithoutOurReceived(stored));
        var (code, output) = await gateways.Pki.VerifyAsync(stored);
        Assert.True(code == 0, output);
        Assert.Contains($"Smime=pass({OpensslSmime.Signer})", Headers(stored));
    }

    [Fact]
    public async Task A_tampered_signed_message_is_delivered_with_smime_fail()
    {
        var to = Unique("tampered");
        var text = Encoding.ASCII.GetString(Wire(await gateways.Pki.SignAsync("tampered", "Pay 100 EUR to the usual account.")));
        Assert.Contains("Pay 100 EUR", text);
        var tampered = Encoding.ASCII.GetBytes(text.Replace("Pay 100 EUR", "Pay 900 EUR"));

        Assert.Equal(250, (await SendAsync(gateways.Maildir, to, tampered)).Code);

        var stored = Assert.Single(gateways.Maildir.StoredCopies(to));
        Assert.NotEqual(0, (await gateways.Pki.VerifyAsync(stored)).ExitCode);
        var headers = Headers(stored);
        Assert.Contains($"Smime=fail({OpensslSmime.Signer})", headers);
        Assert.Contains("smime=fail", headers);
    }

    [Fact]
    public async Task Bare_line_feeds_normalized_keep_a_text_signature_valid_but_break_a_binary_one()
    {
        // openssl's own file has bare LFs between the parts: Smtp:BareLineFeed=Normalize stores them as CRLF. A text
        // signature is over the canonical CRLF form and still verifies; one made with -binary over LF-only content
        // covered the LFs, which normalizing rewrites.
        var textTo = Unique("barelf");
        var raw = await gateways.Pki.SignAsync("bare lf", "Line one.\nLine two.");
        Assert.Contains((byte)'\n', raw.Where((b, i) => b == '\n' && (i == 0 || raw[i - 1] != '\r')));
        Assert.Equal(250, (await SendAsync(gateways.Maildir, textTo, raw)).Code);
        var stored = Assert.Single(gateways.Maildir.StoredCopies(textTo));
        Assert.Equal(Wire(raw), StoredMessage.WithoutOurReceived(stored));
        Assert.Equal(0, (await gateways.Pki.VerifyAsync(stored)).ExitCode);
        Assert.Contains("Smime=pass(", Headers(stored));

        var binaryTo = Unique("binary");
        var binary = await gateways.Pki.SignAsync("binary", "Line one.\nLine two.", binary: true);
        Assert.Equal(250, (await SendAsync(gateways.Maildir, binaryTo, binary)).Code);
        var storedBinary = Assert.Single(gateways.Maildir.StoredCopies(binaryTo));
        Assert.NotEqual(0, (await gateways.Pki.VerifyAsync(storedBinary, binary: true)).ExitCode);
        Assert.Contains("Smime=fail(", Headers(storedBinary));
    }

    [Fact]
    public async Task With_bare_line_feeds_refused_a_binary_signed_message_is_refused_instead_of_stored_broken()
    {
        await using var strict = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Smtp:BareLineFeed"] = "Reject",
            ["Smime:TrustStore"] = gateways.Pki.TrustStore,
        });
        var binary = await gateways.Pki.SignAsync("binary", "Line one.\nLine two.", binary: true);

        var reply = await SendAsync(strict, Unique("strict"), binary);

        Assert.Equal((550, "5.5.2"), (reply.Code, reply.Enhanced));
        Assert.Empty(strict.AllStoredMessages());
        Assert.Empty(strict.ArchivedMessages());
    }

    [Fact]
    public async Task Encrypted_mail_is_delivered_with_a_note_by_default()
    {
        var to = Unique("enc");
        var wire = Wire(await gateways.Pki.EncryptAsync("secret", "Only Bob may read this."));

        Assert.Equal(250, (await SendAsync(gateways.Maildir, to, wire)).Code);

        var stored = Assert.Single(gateways.Maildir.StoredCopies(to));
        Assert.Equal(wire, StoredMessage.WithoutOurReceived(stored));
        var headers = Headers(stored);
        Assert.Contains("X-MailGateway-Smime: encrypted; content not scanned", headers);
        Assert.Contains("Smime=none+encrypted-not-scanned", headers);
    }

    [Fact]
    public async Task Encrypted_mail_is_refused_with_554_5_7_1_or_archived_when_configured()
    {
        var wire = Wire(await gateways.Pki.EncryptAsync("secret", "Only Bob may read this."));
        await using (var rejecting = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["Smime:OnEncrypted"] = "Reject" }))
        {
            var to = Unique("encrej");
            var reply = await SendAsync(rejecting, to, wire);
            Assert.Equal((554, "5.7.1"), (reply.Code, reply.Enhanced));
            Assert.Contains("encrypted content cannot be scanned", reply.Text);
            Assert.Empty(rejecting.AllStoredMessages());
            Assert.Empty(rejecting.ArchivedMessages());
        }

        await using var archiving = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["Smime:OnEncrypted"] = "Archive" });
        var archivedTo = Unique("encarc");
        Assert.Equal(250, (await SendAsync(archiving, archivedTo, wire)).Code);
        Assert.Empty(archiving.AllStoredMessages());
        var archived = Assert.Single(archiving.StoredCopies(archivedTo));
        Assert.Contains("Smime=none+encrypted-archived", Headers(archived));
    }

    [Fact]
    public async Task Smime_results_are_counted_on_metrics()
    {
        var to = Unique("metrics");
        var signed = Wire(await gateways.Pki.SignAsync("m", "counted"));
        var encrypted = Wire(await gateways.Pki.EncryptAsync("m", "counted"));
        Assert.Equal(250, (await SendAsync(gateways.Maildir, to, signed)).Code);
        Assert.Equal(250, (await SendAsync(gateways.Maildir, to, encrypted)).Code);

        using var http = new HttpClient();
        var text = "";
        for (var i = 0; i < 20 && !text.Contains("mailgateway_smime_encrypted_total"); i++)
        {
            await Task.Delay(500);
            text = await http.GetStringAsync($"http://127.0.0.1:{gateways.Maildir.AdminPort}/metrics");
        }

        Assert.Matches(@"mailgateway_smime_messages_total\{[^}]*result=""pass""[^}]*\} [1-9]", text);
        Assert.Matches(@"mailgateway_smime_encrypted_total\{[^}]*action=""deliver""[^}]*\} [1-9]", text);
    }
}
