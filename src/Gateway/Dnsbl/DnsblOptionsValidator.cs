using System.Net;
using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Dnsbl;

/// <summary>Checks <c>Dnsbl:*</c> and <c>Dnswl:*</c> at start.</summary>
public sealed class DnsblOptionsValidator : IValidateOptions<DnsblOptions>
{
    public ValidateOptionsResult Validate(string? name, DnsblOptions options)
    {
        var errors = new List<string>();
        foreach (var (section, zones) in new[] { ("Dnsbl:Zones", options.Zones), ("Dnswl:Zones", options.AllowZones) })
        {
            foreach (var zone in zones)
            {
                if (!DomainName.IsValid(zone.Zone))
                {
                    errors.Add($"{section}: '{zone.Zone}' is not a domain name");
                }

                if (zone.Weight is <= 0 or > 1000 || double.IsNaN(zone.Weight))
                {
                    errors.Add($"{section}: {zone.Zone}: Weight must be above 0 and at most 1000 (was {zone.Weight})");
                }

                foreach (var code in zone.ReturnCodes)
                {
                    if (!IPAddress.TryParse(code, out var address) || address.GetAddressBytes() is not [127, _, _, _])
                    {
                        errors.Add($"{section}: {zone.Zone}: return code '{code}' is not an address in 127.0.0.0/8");
                    }
                }
            }
        }

        if (options.RejectWeight <= 0 || double.IsNaN(options.RejectWeight))
        {
            errors.Add($"Dnsbl:RejectWeight: must be above 0 (was {options.RejectWeight})");
        }

        if (options.SclWeight is < 0 or > 9 || double.IsNaN(options.SclWeight))
        {
            errors.Add($"Dnsbl:SclWeight: must be from 0 to 9 (was {options.SclWeight})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
