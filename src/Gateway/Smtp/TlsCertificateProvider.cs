using System.Security.Cryptography.X509Certificates;
using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Smtp;

/// <summary>Loads the PEM certificate and key of <c>Smtp:Tls</c> once; null when STARTTLS is not configured.</summary>
public sealed class TlsCertificateProvider
{
    private readonly Lazy<X509Certificate2?> _certificate;

    public TlsCertificateProvider(IOptions<SmtpOptions> options)
    {
        var tls = options.Value.Tls;
        _certificate = new Lazy<X509Certificate2?>(() =>
        {
            if (!tls.Enabled)
            {
                return null;
            }

            using var pem = X509Certificate2.CreateFromPemFile(tls.CertificatePath!, tls.KeyPath);
            // Export/import so the private key is usable by SslStream on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        });
    }

    public X509Certificate2? Certificate => _certificate.Value;
}
