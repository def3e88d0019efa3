using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>
/// A self-signed certificate for gw.test and 127.0.0.1 written as PEM files at test time. Nobody trusts it unless a
/// test says so (e.g. by pointing a process's <c>SSL_CERT_FILE</c> at <see cref="CertificatePath"/>).
/// </summary>
public sealed class TestCertificate : IDisposable
{
    public TestCertificate()
    {
        Directory = Path.Combine(Path.GetTempPath(), "mailgw-cert-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=gw.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("gw.test");
        // The relay tests' downstream servers listen on 127.0.0.1, and the gateway checks the name it connected to.
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        CertificatePath = Path.Combine(Directory, "cert.pem");
        KeyPath = Path.Combine(Directory, "key.pem");
        File.WriteAllText(CertificatePath, cert.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public string Directory { get; }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, true);
}
