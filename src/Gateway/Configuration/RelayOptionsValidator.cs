using MailGateway.Gateway.Delivery.Relay;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Configuration;

/// <summary>Checks the <c>Relay</c> section at start when <c>Delivery:Mode</c> is <c>Relay</c>; each failure names its key.</summary>
public sealed class RelayOptionsValidator(IOptions<DeliveryOptions> delivery) : IValidateOptions<RelayOptions>
{
    public ValidateOptionsResult Validate(string? name, RelayOptions o)
    {
        if (delivery.Value.Mode != DeliveryMode.Relay)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.SmartHost) && o.Routes.Count == 0)
        {
            errors.Add("Relay:SmartHost: required when Delivery:Mode is Relay (or set Relay:Routes)");
        }
        else if (!string.IsNullOrWhiteSpace(o.SmartHost) && !NextHop.TryParse(o.SmartHost, out _))
        {
            errors.Add($"Relay:SmartHost: '{o.SmartHost}' is not host:port");
        }

        foreach (var (domain, hop) in o.Routes)
        {
            if (!DomainName.IsValid(domain))
            {
                errors.Add($"Relay:Routes: '{domain}' is not a domain name");
            }

            if (!NextHop.TryParse(hop, out _))
            {
                errors.Add($"Relay:Routes:{domain}: '{hop}' is not host:port");
            }
        }

        if (o.MaxConnections is < 1 or > 1000)
        {
            errors.Add($"Relay:MaxConnections: must be between 1 and 1000 (was {o.MaxConnections})");
        }

        if (o.RetrySchedule.Count == 0 || o.RetrySchedule.Any(t => t <= TimeSpan.Zero))
        {
            errors.Add("Relay:RetrySchedule: needs at least one positive wait (e.g. 00:01:00)");
        }

        if (o.MaxQueueAge <= TimeSpan.Zero)
        {
            errors.Add($"Relay:MaxQueueAge: must be positive (was {o.MaxQueueAge})");
        }

        if (o.TimeoutSeconds is < 1 or > 3600)
        {
            errors.Add($"Relay:TimeoutSeconds: must be between 1 and 3600 (was {o.TimeoutSeconds})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
