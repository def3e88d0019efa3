using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>
/// An RSA key made for one test run, its DNS TXT record (<c>v=DKIM1; k=rsa; p=…</c>) and a MimeKit
/// <see cref="DkimSigner"/> that signs with it. 1024 bits keep the record under one 255-octet TXT string.
/// </summary>
public sealed class DkimTestKey
{
    private readonly AsymmetricCipherKeyPair _pair;

    public DkimTestKey(string domain, string selector)
    {
        Domain = domain;
        Selector = selector;
        var generator = new RsaKeyPairGenerator();
        generator.Init(new KeyGenerationParameters(new SecureRandom(), 1024));
        _pair = generator.GenerateKeyPair();
    }

    public string Domain { get; }

    public string Selector { get; }

    /// <summary>The TXT record's name and text.</summary>
    public (string Name, string Text) Record => ($"{Selector}._domainkey.{Domain}",
        "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(_pair.Public).GetEncoded()));

    /// <summary>Signs From, To, Subject, Date and Message-ID and the body (relaxed/relaxed), as a sending MTA would.</summary>
    public void Sign(MimeMessage message, string? domain = null)
    {
        var signer = new DkimSigner(_pair.Private, domain ?? Domain, Selector)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        message.Prepare(EncodingConstraint.SevenBit);
        signer.Sign(message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId]);
    }

    public static byte[] Bytes(MimeMessage message)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var stream = new MemoryStream();
        message.WriteTo(options, stream);
        return stream.ToArray();
    }
}
