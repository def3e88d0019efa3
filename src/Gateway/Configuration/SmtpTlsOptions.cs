namespace MailGateway.Gateway.Configuration;

/// <summary>The <c>Smtp:Tls</c> section. STARTTLS is advertised only when both PEM paths are set.</summary>
public sealed class SmtpTlsOptions
{
    public string? CertificatePath { get; set; }

    public string? KeyPath { get; set; }

    /// <summary>Refuse MAIL before STARTTLS with <c>530 5.7.0</c>.</summary>
    public bool Required { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath) && !string.IsNullOrWhiteSpace(KeyPath);
}
