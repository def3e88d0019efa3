using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>
/// A certificate for gw.test and 127.0.0.1 written as PEM files at test time: self-signed, or issued by a test
/// certificate authority (<see cref="Authority"/>, <see cref="Issue"/>). Nobody trusts either unless a test says so
/// (e.g. by pointing a process's <c>SSL_CERT_FILE</c> at the authority's or the self-signed <see cref="CertificatePath"/>).
/// </summary>
public sealed class TestCertificate : IDisposable
{
    /// <summary>The authority's certificate with its private key, kept to sign others; null for a server certificate.</summary>
    private readonly X509Certificate2? _signer;

    public TestCertificate() : this(issuer: null, authority: false, crl: null)
    {
    }

    private TestCertificate(TestCertificate? issuer, bool authority, Uri? crl)
    {
        Directory = Path.Combine(Path.GetTempPath(), "mailgw-cert-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(authority ? "CN=MailGateway Test CA" : "CN=gw.test", key,
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (authority)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(
                X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        }
        else
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("gw.test");
            // The relay tests' downstream servers listen on 127.0.0.1, and the gateway checks the name it connected to.
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            if (crl is not null)
            {
                request.CertificateExtensions.Add(
                    CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crl.AbsoluteUri]));
            }
        }

        // An issued certificate must lie within its issuer's validity.
        var notBefore = DateTimeOffset.UtcNow.AddDays(authority ? -2 : -1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(authority ? 60 : 30);
        var cert = issuer is null
            ? request.CreateSelfSigned(notBefore, notAfter)
            : request.Create(issuer._signer!, notBefore, notAfter, SerialNumber).CopyWithPrivateKey(key);
        CertificatePath = Path.Combine(Directory, "cert.pem");
        KeyPath = Path.Combine(Directory, "key.pem");
        File.WriteAllText(CertificatePath, cert.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
        if (authority)
        {
            _signer = cert;
        }
        else
        {
            cert.Dispose();
        }
    }

    public string Directory { get; }

    /// <summary>The serial number of an issued certificate (what a CRL lists).</summary>
    public byte[] SerialNumber { get; } = PositiveSerialNumber();

    public string CertificatePath { get; }

    public string KeyPath { get; }

    /// <summary>A certificate authority (CA:TRUE, no CRL or OCSP address, like a small internal CA).</summary>
    public static TestCertificate Authority() => new(issuer: null, authority: true, crl: null);

    /// <summary>
    /// A server certificate for gw.test and 127.0.0.1 issued by this authority; with <paramref name="crl"/>, it says
    /// its revocation list is there.
    /// </summary>
    public TestCertificate Issue(Uri? crl = null) => _signer is null
        ? throw new InvalidOperationException("only an authority issues certificates")
        : new TestCertificate(this, authority: false, crl);

    /// <summary>This authority's revocation list (DER), valid for a day, revoking <paramref name="revoked"/>.</summary>
    public byte[] RevocationList(params TestCertificate[] revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var certificate in revoked)
        {
            builder.AddEntry(certificate.SerialNumber, DateTimeOffset.UtcNow.AddMinutes(-1), X509RevocationReason.KeyCompromise);
        }

        return builder.Build(_signer ?? throw new InvalidOperationException("only an authority revokes"), BigInteger.One,
            DateTimeOffset.UtcNow.AddDays(1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1,
            DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    /// <summary>
    /// 16 random bytes with the top bit clear and the next one set: the certificate reads a serial as unsigned, a CRL
    /// entry as a DER integer, so only a positive, minimally encoded number is the same serial to both.
    /// </summary>
    private static byte[] PositiveSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }

    public void Dispose()
    {
        _signer?.Dispose();
        System.IO.Directory.Delete(Directory, true);
    }
}
