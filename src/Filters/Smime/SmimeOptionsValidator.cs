using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Smime;

/// <summary>Checks the <c>Smime</c> section at start.</summary>
public sealed class SmimeOptionsValidator : IValidateOptions<SmimeOptions>
{
    public ValidateOptionsResult Validate(string? name, SmimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Enum.IsDefined(options.OnEncrypted))
        {
            failures.Add($"Smime:OnEncrypted must be Deliver, Archive or Reject (is {options.OnEncrypted}).");
        }

        if (options.MaxSignatures is < 1 or > 50)
        {
            failures.Add($"Smime:MaxSignatures must be between 1 and 50 (is {options.MaxSignatures}).");
        }

        if (options.Enabled && string.IsNullOrWhiteSpace(options.TrustStore))
        {
            failures.Add("Smime:TrustStore must name a folder of PEM certificates.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
