using System.Diagnostics.Metrics;
using System.Net;
using MailGateway.Filters.Arc;
using MailGateway.Filters.Authentication;
using MailGateway.Filters.Chain;
using MailGateway.Filters.Dkim;
using MailGateway.Filters.Dmarc;
using MailGateway.Filters.Spf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace MailGateway.Filters.Tests.Authentication;

/// <summary>
/// The DKIM, ARC and DMARC stages over a fake resolver: what each writes into the message's authentication results,
/// and what DMARC then decides (refuse, junk threshold, ARC override, nothing on temperror).
/// </summary>
public sealed class AuthenticationFilterTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeDnsResolver _dns = new();
    private readonly AsymmetricCipherKeyPair _origin = NewKey();
    private readonly AsymmetricCipherKeyPair _list = NewKey();

    public AuthenticationFilterTests()
    {
        _dns.WithTxt("s1._domainkey.origin.test", KeyRecord(_origin))
            .WithTxt("arc._domainkey.list.test", KeyRecord(_list))
            .WithTxt("_dmarc.origin.test", "v=DMARC1; p=reject");
    }

    public void Dispose() => _services.Dispose();

    private AuthenticationMetrics Metrics => new(_services.GetRequiredService<IMeterFactory>());

    private static AsymmetricCipherKeyPair NewKey()
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new KeyGenerationParameters(new SecureRandom(), 1024));
        return generator.GenerateKeyPair();
    }

    private static string KeyRecord(AsymmetricCipherKeyPair key) =>
        "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key.Public).GetEncoded());

    private static MimeMessage Message()
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("ceo@origin.test"));
        message.To.Add(MailboxAddress.Parse("list@list.test"));
        message.Subject = "Quarterly figures";
        message.MessageId = "1@origin.test";
        message.Date = new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
        message.Body = new TextPart("plain") { Text = "The figures.\r\n" };
        message.Prepare(EncodingConstraint.SevenBit);
        return message;
    }

    private void SignDkim(MimeMessage message, DkimSignatureAlgorithm algorithm = DkimSignatureAlgorithm.RsaSha256) =>
        new DkimSigner(_origin.Private, "origin.test", "s1", algorithm)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        }.Sign(message, [HeaderId.From, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId]);

    private static MessageContext Context(MimeMessage message, string sender = "bounce@list.test")
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        var bytes = stream.ToArray();
        return new MessageContext("m1", new MessageEnvelope("s1", IPAddress.Parse("192.0.2.1"), "mx.list.test", sender,
            ["bob@example.org"]), () => new MemoryStream(bytes), bytes.Length);
    }

    private DkimFilter Dkim(int max = 5) => new(new DnsDkimKeyLocator(_dns), Options.Create(new DkimOptions { MaxSignatures = max }),
        Metrics, NullLogger<DkimFilter>.Instance);

    private ArcFilter Arc() => new(new DnsDkimKeyLocator(_dns), Options.Create(new ArcOptions()), Metrics,
        NullLogger<ArcFilter>.Instance);

    private DmarcFilter Dmarc(DmarcOptions? options = null, int junk = 6) => new(new DmarcEvaluator(_dns, PublicSuffixList.Empty),
        Options.Create(options ?? new DmarcOptions()), new NoSenderOrigin(), new FixedJunkThreshold(junk), Metrics,
        NullLogger<DmarcFilter>.Instance);

    [Fact]
    public void The_four_stages_are_sender_authentication_for_the_chain_which_skips_them_for_internal_mail()
    {
        var spf = new SpfFilter(new SpfChecksInFlight(new SpfEvaluator(_dns), Options.Create(new SpfOptions()), TimeProvider.System),
            Options.Create(new SpfOptions()), Metrics, NullLogger<SpfFilter>.Instance);
        IMessageFilter[] stages = [spf, Dkim(), Arc(), Dmarc()];
        Assert.All(stages, s => Assert.Equal(FilterKind.SenderAuthentication, s.Kind));
    }

    [Fact]
    public async Task A_signature_verifies_and_a_changed_subject_does_not()
    {
        var message = Message();
        SignDkim(message);
        await using var good = Context(message);
        Assert.Equal("pass(1/1)", (await Dkim().RunAsync(good, default)).Outcome);
        Assert.Equal(new DkimResult("pass", "origin.test", "s1", "verified"), good.Authentication.Dkim.Single());

        message.Subject = "Quarterly figures (changed)";
        await using var changed = Context(message);
        await Dkim().RunAsync(changed, default);
        Assert.Equal("fail", changed.Authentication.Dkim.Single().Result);
    }

    [Fact]
    public async Task A_key_lookup_that_times_out_is_temperror_and_dmarc_enforces_nothing()
    {
        _dns.Failing.Add("s1._domainkey.origin.test");
        var message = Message();
        SignDkim(message);
        await using var context = Context(message);
        await Dkim().RunAsync(context, default);
        Assert.Equal("temperror", context.Authentication.Dkim.Single().Result);

        await Dmarc().RunAsync(context, default);
        Assert.Equal("temperror", context.Authentication.Dmarc!.Result);
        Assert.Null(context.Decision);
        Assert.Null(context.Scl);
    }

    [Fact]
    public async Task Rsa_sha1_signatures_are_policy_not_pass()
    {
        var message = Message();
        SignDkim(message, DkimSignatureAlgorithm.RsaSha1);
        await using var context = Context(message);
        await Dkim().RunAsync(context, default);
        Assert.Equal("policy", context.Authentication.Dkim.Single().Result);
    }

    [Fact]
    public async Task Only_max_signatures_are_checked_and_the_rest_noted()
    {
        var message = Message();
        for (var i = 0; i < 30; i++)
        {
            SignDkim(message);
        }

        await using var context = Context(message);
        await Dkim(max: 3).RunAsync(context, default);
        Assert.Equal(3, context.Authentication.Dkim.Count);
        Assert.Contains("dkim: 27 signatures over Dkim:MaxSignatures not checked", context.Notes);
        // The fake resolver has no cache: one key lookup per signature checked, none for the others.
        Assert.Equal(3, _dns.Queries.Count(q => q == "TXT s1._domainkey.origin.test"));
    }

    [Fact]
    public async Task Dmarc_reject_refuses_with_550_5_7_1_and_quarantine_raises_the_scl_to_the_junk_threshold()
    {
        await using var refused = Context(Message());
        await Dkim().RunAsync(refused, default);
        var step = await Dmarc().RunAsync(refused, default);
        Assert.True(step.StopChain);
        var decision = Assert.IsType<RefuseDecision>(refused.Decision);
        Assert.Equal((550, "5.7.1"), (decision.Code, decision.EnhancedCode));

        _dns.WithTxt("_dmarc.origin.test", "v=DMARC1; p=quarantine");
        await using var low = Context(Message());
        low.SetScl(2);
        await Dmarc(junk: 6).RunAsync(low, default);
        Assert.Equal(6, low.Scl);
        Assert.Null(low.Decision);

        await using var high = Context(Message());
        high.SetScl(8);
        await Dmarc(junk: 6).RunAsync(high, default);
        Assert.Equal(8, high.Scl);

        await using var unenforced = Context(Message());
        await Dmarc(new DmarcOptions { Enforce = false }).RunAsync(unenforced, default);
        Assert.Null(unenforced.Scl);
        Assert.Equal("quarantine", unenforced.Authentication.Dmarc!.Disposition);
    }

    /// <summary>A mailing list's ARC signer: records what it saw before changing the message.</summary>
    private sealed class ListSealer(AsymmetricKeyParameter key, string seen) : ArcSigner(key, "list.test", "arc")
    {
        protected override MimeKit.Cryptography.AuthenticationResults GenerateArcAuthenticationResults(FormatOptions options,
            MimeMessage message, CancellationToken cancellationToken)
        {
            var results = new MimeKit.Cryptography.AuthenticationResults("mx.list.test");
            foreach (var part in seen.Split(' '))
            {
                var (method, result) = (part.Split('=')[0], part.Split('=')[1]);
                results.Results.Add(new AuthenticationMethodResult(method, result));
            }

            return results;
        }

        protected override Task<MimeKit.Cryptography.AuthenticationResults> GenerateArcAuthenticationResultsAsync(
            FormatOptions options, MimeMessage message, CancellationToken cancellationToken) =>
            Task.FromResult(GenerateArcAuthenticationResults(options, message, cancellationToken));
    }

    private MimeMessage ThroughTheList(string seen)
    {
        var message = Message();
        SignDkim(message);
        // The list changes the subject (breaking the author's DKIM signature), then seals what it saw.
        message.Subject = "[list] " + message.Subject;
        new ListSealer(_list.Private, seen)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        }.Sign(message, [HeaderId.From, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId]);
        return message;
    }

    [Fact]
    public async Task A_trusted_arc_sealers_dmarc_pass_overrides_a_failure_and_an_untrusted_one_does_not()
    {
        var message = ThroughTheList("dkim=pass dmarc=pass");
        await using var trusted = Context(message);
        await Dkim().RunAsync(trusted, default);
        Assert.Equal("fail", trusted.Authentication.Dkim.Single().Result);
        Assert.Equal("pass", (await Arc().RunAsync(trusted, default)).Outcome);
        Assert.Equal("list.test", trusted.Authentication.Arc!.Sealer);
        await Dmarc(new DmarcOptions { TrustedArcSealers = ["list.test"] }).RunAsync(trusted, default);
        Assert.Null(trusted.Decision);
        Assert.Equal(("fail", "none"), (trusted.Authentication.Dmarc!.Result, trusted.Authentication.Dmarc.Disposition));
        Assert.StartsWith("ARC override", trusted.Authentication.Dmarc.Reason);
        Assert.Contains("; arc=pass; dmarc=fail (p=reject dis=none) header.from=origin.test",
            trusted.Authentication.Format("gw.test"));

        await using var untrusted = Context(message);
        await Dkim().RunAsync(untrusted, default);
        await Arc().RunAsync(untrusted, default);
        await Dmarc().RunAsync(untrusted, default);
        Assert.IsType<RefuseDecision>(untrusted.Decision);

        // A trusted sealer that saw the author's DMARC fail gives no override.
        await using var sawFail = Context(ThroughTheList("dkim=fail dmarc=fail"));
        await Arc().RunAsync(sawFail, default);
        await Dmarc(new DmarcOptions { TrustedArcSealers = ["list.test"] }).RunAsync(sawFail, default);
        Assert.IsType<RefuseDecision>(sawFail.Decision);
    }

    [Fact]
    public async Task A_tampered_arc_set_fails()
    {
        var message = ThroughTheList("dkim=pass dmarc=pass");
        message.Subject = "changed after sealing";
        await using var context = Context(message);
        Assert.Equal("fail", (await Arc().RunAsync(context, default)).Outcome);
        await using var none = Context(Message());
        Assert.Equal("none", (await Arc().RunAsync(none, default)).Outcome);
    }

    [Fact]
    public void One_header_carries_every_stage_with_odd_values_quoted()
    {
        var results = new Filters.Authentication.AuthenticationResults
        {
            Spf = new SpfVerdict(SpfResult.SoftFail, "mailfrom", "\"odd user\"@example.com", "example.com", ""),
            DkimChecked = true,
            Arc = new ArcResult("none", null, ""),
            Dmarc = new DmarcResult("fail", "example.com", "quarantine", "quarantine", ""),
        };
        results.AddDkim(new DkimResult("pass", "example.com", "s1", ""));
        Assert.Equal("gw.test; spf=softfail smtp.mailfrom=\"\\\"odd user\\\"@example.com\"; dkim=pass header.d=example.com " +
                     "header.s=s1; arc=none; dmarc=fail (p=quarantine dis=quarantine) header.from=example.com",
            results.Format("gw.test"));
    }
}
