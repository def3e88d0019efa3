using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using MimeKit.Cryptography;
using X509KeyUsageFlags = System.Security.Cryptography.X509Certificates.X509KeyUsageFlags;

namespace MailGateway.Filters.Tests.Smime;

/// <summary>A throwaway CA and a signer it issued (RSA 2048), made in the test, and messages signed or encrypted with them.</summary>
public sealed class SmimeTestPki : IDisposable
{
    public SmimeTestPki(string signerEmail = "alice@sender.test")
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=MailGateway Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Signer = Issue(Ca, signerEmail);
        Folder = Directory.CreateTempSubdirectory("mailgw-smime-").FullName;
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Signer { get; }

    /// <summary>A trust-store folder: empty until <see cref="TrustCa"/>.</summary>
    public string Folder { get; }

    public string SignerEmail => Signer.GetNameInfo(X509NameType.EmailName, false);

    public void TrustCa() => File.WriteAllText(Path.Combine(Folder, "test-ca.pem"), Ca.ExportCertificatePem());

    /// <summary>A leaf for <paramref name="email"/> issued by <paramref name="issuer"/>, with its private key.</summary>
    public static X509Certificate2 Issue(X509Certificate2 issuer, string email)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={email}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddEmailAddress(email);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(issuer, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6), serial);
        return issued.CopyWithPrivateKey(key);
    }

    public static MimeMessage Plain(string subject = "signed") => new()
    {
        From = { MailboxAddress.Parse("alice@sender.test") },
        To = { MailboxAddress.Parse("bob@example.org") },
        Subject = subject,
        Body = new TextPart("plain") { Text = "The quarterly figures are attached.\r\nRegards, Alice\r\n" },
    };

    /// <summary>multipart/signed with a detached application/pkcs7-signature.</summary>
    public MimeMessage SignedDetached(X509Certificate2? signer = null)
    {
        var message = Plain();
        using var context = new TemporarySecureMimeContext();
        message.Body = MultipartSigned.Create(context, new CmsSigner(signer ?? Signer), message.Body!);
        return message;
    }

    /// <summary>application/pkcs7-mime; smime-type=signed-data (the content inside the signature).</summary>
    public MimeMessage SignedOpaque()
    {
        var message = Plain();
        using var context = new TemporarySecureMimeContext();
        message.Body = ApplicationPkcs7Mime.Sign(context, new CmsSigner(Signer), message.Body!);
        return message;
    }

    /// <summary>application/pkcs7-mime; smime-type=enveloped-data for the signer's certificate.</summary>
    public MimeMessage Encrypted()
    {
        var message = Plain("encrypted");
        using var context = new TemporarySecureMimeContext();
        message.Body = ApplicationPkcs7Mime.Encrypt(context, new CmsRecipientCollection { new CmsRecipient(Signer) }, message.Body!);
        return message;
    }

    public void Dispose()
    {
        Ca.Dispose();
        Signer.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
