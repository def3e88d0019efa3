using System.Net;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Dns;

/// <summary>Checks <c>Dns:*</c> at start.</summary>
public sealed class DnsOptionsValidator : IValidateOptions<DnsOptions>
{
    public ValidateOptionsResult Validate(string? name, DnsOptions options)
    {
        var errors = new List<string>();
        foreach (var server in options.Servers)
        {
            if (!IPEndPoint.TryParse(server, out var endpoint) || endpoint.Port == 0)
            {
                errors.Add($"Dns:Servers: '{server}' is not address:port (e.g. 127.0.0.1:53)");
            }
        }

        if (options.TimeoutMilliseconds is < 50 or > 60_000)
        {
            errors.Add($"Dns:TimeoutMilliseconds: must be between 50 and 60000 (was {options.TimeoutMilliseconds})");
        }

        if (options.Retries is < 0 or > 5)
        {
            errors.Add($"Dns:Retries: must be between 0 and 5 (was {options.Retries})");
        }

        if (options.NegativeCacheSeconds is < 0 or > 3600)
        {
            errors.Add($"Dns:NegativeCacheSeconds: must be between 0 and 3600 (was {options.NegativeCacheSeconds})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
