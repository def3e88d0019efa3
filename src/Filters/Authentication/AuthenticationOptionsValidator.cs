using MailGateway.Filters.Dkim;
using MailGateway.Filters.Spf;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Authentication;

/// <summary>Checks <c>Spf:*</c> and <c>Dkim:*</c> at start.</summary>
public sealed class AuthenticationOptionsValidator : IValidateOptions<SpfOptions>, IValidateOptions<DkimOptions>
{
    public ValidateOptionsResult Validate(string? name, SpfOptions options) =>
        options.TimeoutSeconds is < 1 or > 300
            ? ValidateOptionsResult.Fail($"Spf:TimeoutSeconds: must be between 1 and 300 (was {options.TimeoutSeconds})")
            : ValidateOptionsResult.Success;

    public ValidateOptionsResult Validate(string? name, DkimOptions options)
    {
        var errors = new List<string>();
        if (options.MaxSignatures is < 1 or > 50)
        {
            errors.Add($"Dkim:MaxSignatures: must be between 1 and 50 (was {options.MaxSignatures})");
        }

        if (options.TimeoutSeconds is < 1 or > 300)
        {
            errors.Add($"Dkim:TimeoutSeconds: must be between 1 and 300 (was {options.TimeoutSeconds})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
