using System.Net;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Configuration;

/// <summary>Checks the <c>Smtp</c> section at start; each failure names its key.</summary>
public sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions o)
    {
        var errors = new List<string>();
        if (!IPAddress.TryParse(o.Address, out _))
        {
            errors.Add($"Smtp:Address: '{o.Address}' is not an IP address");
        }

        Range(errors, "Smtp:Port", o.Port, 0, 65535);
        Range(errors, "Smtp:MaxRecipients", o.MaxRecipients, 1, 100_000);
        Range(errors, "Smtp:MaxConnections", o.MaxConnections, 1, 1_000_000);
        Range(errors, "Smtp:MaxConnectionsPerIp", o.MaxConnectionsPerIp, 1, 1_000_000);
        Range(errors, "Smtp:MaxErrors", o.MaxErrors, 1, 10_000);
        Range(errors, "Smtp:CommandTimeoutSeconds", o.CommandTimeoutSeconds, 1, 86_400);
        Range(errors, "Smtp:DataTimeoutSeconds", o.DataTimeoutSeconds, 1, 86_400);
        Range(errors, "Smtp:ShutdownGraceSeconds", o.ShutdownGraceSeconds, 0, 3_600);
        if (o.MaxMessageBytes < 1024 || o.MaxMessageBytes > 4L * 1024 * 1024 * 1024)
        {
            errors.Add($"Smtp:MaxMessageBytes: must be between 1024 and 4294967296 (was {o.MaxMessageBytes})");
        }

        if (o.AcceptedDomains.Count == 0)
        {
            errors.Add("Smtp:AcceptedDomains: at least one domain is needed");
        }

        foreach (var domain in o.AcceptedDomains)
        {
            if (!DomainName.IsValid(domain))
            {
                errors.Add($"Smtp:AcceptedDomains: '{domain}' is not a domain name");
            }
        }

        foreach (var cidr in o.RelayNetworks)
        {
            if (!NetworkList.TryParse(cidr, out _))
            {
                errors.Add($"Smtp:RelayNetworks: '{cidr}' is not an address or a network in CIDR form (e.g. 10.0.0.0/8)");
            }
        }

        foreach (var proxy in o.TrustedProxies)
        {
            if (!NetworkList.TryParse(proxy, out _))
            {
                errors.Add($"Smtp:TrustedProxies: '{proxy}' is not an address or a network in CIDR form");
            }
        }

        if (!string.IsNullOrWhiteSpace(o.HostName) && !DomainName.IsValid(o.HostName))
        {
            errors.Add($"Smtp:HostName: '{o.HostName}' is not a host name");
        }

        var tls = o.Tls;
        if (string.IsNullOrWhiteSpace(tls.CertificatePath) != string.IsNullOrWhiteSpace(tls.KeyPath))
        {
            errors.Add("Smtp:Tls: CertificatePath and KeyPath must be set together");
        }
        else if (tls.Enabled)
        {
            if (!File.Exists(tls.CertificatePath))
            {
                errors.Add($"Smtp:Tls:CertificatePath: file '{tls.CertificatePath}' does not exist");
            }

            if (!File.Exists(tls.KeyPath))
            {
                errors.Add($"Smtp:Tls:KeyPath: file '{tls.KeyPath}' does not exist");
            }
        }

        if (tls.Required && !tls.Enabled)
        {
            errors.Add("Smtp:Tls:Required: needs Smtp:Tls:CertificatePath and Smtp:Tls:KeyPath");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key}: must be between {min} and {max} (was {value})");
        }
    }
}
