using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MailGateway.Filters.Chain;
using MailGateway.Filters.Smime;
using MailGateway.Filters.Tests.Attachments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MailGateway.Filters.Tests.Smime;

public sealed class SmimeFilterTests : IDisposable
{
    private readonly SmimeTestPki _pki = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private SmimeFilter Filter(SmimeOptions? options = null) =>
        new(Options.Create(options ?? new SmimeOptions()), SmimeTrustStore.Load(_pki.Folder),
            new SmimeMetrics(_services.GetRequiredService<IMeterFactory>()), NullLogger<SmimeFilter>.Instance);

    private static async Task<(FilterStepResult Result, MessageContext Context)> RunAsync(SmimeFilter filter, byte[] message)
    {
        var context = ArchiveSamples.Context(message);
        return (await filter.RunAsync(context, CancellationToken.None), context);
    }

    private static byte[] Bytes(MimeMessage message)
    {
        var buffer = new MemoryStream();
        message.WriteTo(FormatOptions.Default, buffer);
        return buffer.ToArray();
    }

    [Fact]
    public async Task A_signature_from_a_signer_the_trust_store_vouches_for_passes_with_the_signer()
    {
        _pki.TrustCa();

        var (result, context) = await RunAsync(Filter(), Bytes(_pki.SignedDetached()));

        Assert.Equal("pass(alice@sender.test)", result.Outcome);
        Assert.Equal("pass", context.Authentication.Smime!.Result);
        Assert.Equal("gw.test; smime=pass body.smime-identifier=alice@sender.test", context.Authentication.Format("gw.test"));
        Assert.Null(context.Decision);
    }

    [Fact]
    public async Task An_opaque_signed_data_message_is_verified_too()
    {
        _pki.TrustCa();

        var (result, _) = await RunAsync(Filter(), Bytes(_pki.SignedOpaque()));

        Assert.Equal("pass(alice@sender.test)", result.Outcome);
    }

    [Fact]
    public async Task A_good_signature_from_a_signer_not_in_the_trust_store_fails_as_untrusted()
    {
        var (result, context) = await RunAsync(Filter(), Bytes(_pki.SignedDetached()));

        Assert.Equal("fail(alice@sender.test)", result.Outcome);
        Assert.StartsWith("signer not trusted", context.Authentication.Smime!.Reason);
    }

    [Fact]
    public async Task A_self_signed_signer_does_not_become_its_own_trust_anchor()
    {
        // MimeKit's temporary context would take a self-signed keyCertSign certificate it was handed for an anchor.
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=mallory@evil.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddEmailAddress("mallory@evil.test");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        _pki.TrustCa();

        var (result, _) = await RunAsync(Filter(), Bytes(_pki.SignedDetached(selfSigned)));

        Assert.Equal("fail(mallory@evil.test)", result.Outcome);
    }

    [Fact]
    public async Task A_tampered_signed_message_fails()
    {
        _pki.TrustCa();
        var text = Encoding.ASCII.GetString(Bytes(_pki.SignedDetached()));
        Assert.Contains("quarterly figures", text);
        var tampered = Encoding.ASCII.GetBytes(text.Replace("quarterly figures", "quarterly invoice"));

        var (result, context) = await RunAsync(Filter(), tampered);

        Assert.Equal("fail(alice@sender.test)", result.Outcome);
        Assert.StartsWith("signature does not verify", context.Authentication.Smime!.Reason);
    }

    [Fact]
    public async Task An_unsigned_message_is_none_and_makes_no_authentication_results_of_its_own()
    {
        var (result, context) = await RunAsync(Filter(), Bytes(SmimeTestPki.Plain()));

        Assert.Equal("none", result.Outcome);
        Assert.True(context.Authentication.IsEmpty);
    }

    [Theory]
    [InlineData(SmimeEncryptedAction.Deliver)]
    [InlineData(SmimeEncryptedAction.Archive)]
    [InlineData(SmimeEncryptedAction.Reject)]
    public async Task Encrypted_mail_is_reported_not_scannable_and_gets_the_configured_policy(SmimeEncryptedAction action)
    {
        var (result, context) = await RunAsync(Filter(new SmimeOptions { OnEncrypted = action }), Bytes(_pki.Encrypted()));

        switch (action)
        {
            case SmimeEncryptedAction.Reject:
                var refuse = Assert.IsType<RefuseDecision>(context.Decision);
                Assert.Equal((554, "5.7.1"), (refuse.Code, refuse.EnhancedCode));
                Assert.Equal("none+encrypted-rejected", result.Outcome);
                break;
            case SmimeEncryptedAction.Archive:
                Assert.IsType<ArchiveDecision>(context.Decision);
                Assert.Equal("none+encrypted-archived", result.Outcome);
                break;
            default:
                Assert.Null(context.Decision);
                Assert.Contains($"{SmimeFilter.EncryptedHeader}: encrypted; content not scanned", context.AddedHeaders);
                Assert.Equal("none+encrypted-not-scanned", result.Outcome);
                break;
        }
    }

    [Fact]
    public void The_trust_store_reads_every_certificate_of_its_pem_files_once()
    {
        _pki.TrustCa();
        File.Copy(Path.Combine(_pki.Folder, "test-ca.pem"), Path.Combine(_pki.Folder, "again.pem"));
        File.WriteAllText(Path.Combine(_pki.Folder, "junk.txt"), "not a certificate");

        var store = SmimeTrustStore.Load(_pki.Folder);

        Assert.Single(store.Certificates);
        Assert.Equal(1, store.UnreadableFiles);
        Assert.Empty(SmimeTrustStore.Load(Path.Combine(_pki.Folder, "missing")).Certificates);
    }

    public void Dispose()
    {
        _pki.Dispose();
        _services.Dispose();
    }
}
