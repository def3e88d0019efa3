using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Recipients;

/// <summary>Checks <c>Recipients:*</c> at start: a callout needs a next hop to ask.</summary>
public sealed class RecipientOptionsValidator(IOptions<DeliveryOptions> delivery) : IValidateOptions<RecipientOptions>
{
    public ValidateOptionsResult Validate(string? name, RecipientOptions options)
    {
        var errors = new List<string>();
        if (options.Verify == RecipientVerifyMode.Callout && delivery.Value.Mode != DeliveryMode.Relay)
        {
            errors.Add("Recipients:Verify: Callout needs Delivery:Mode=Relay (the next hop is the server asked)");
        }

        if (options.CalloutPositiveSeconds < 0 || options.CalloutNegativeSeconds < 0)
        {
            errors.Add("Recipients:CalloutPositiveSeconds/CalloutNegativeSeconds: must not be negative");
        }

        if (options.CalloutTimeoutSeconds is < 1 or > 300)
        {
            errors.Add($"Recipients:CalloutTimeoutSeconds: must be between 1 and 300 (was {options.CalloutTimeoutSeconds})");
        }

        if (string.IsNullOrWhiteSpace(options.ListPath))
        {
            errors.Add("Recipients:ListPath: must not be empty");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
