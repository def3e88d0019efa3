using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Routing;

/// <summary>Checks the thresholds, at start and on every reload.</summary>
public sealed class SclOptionsValidator : IValidateOptions<SclOptions>
{
    public ValidateOptionsResult Validate(string? name, SclOptions o)
    {
        var errors = new List<string>();
        foreach (var (key, value) in new[]
                 {
                     ("Scl:JunkThreshold", o.JunkThreshold), ("Scl:ArchiveThreshold", o.ArchiveThreshold),
                     ("Scl:RejectThreshold", o.RejectThreshold),
                 })
        {
            if (value is < -1 or > 10)
            {
                errors.Add($"{key}: must be between -1 and 10 (was {value})");
            }
        }

        if (o.JunkThreshold > o.ArchiveThreshold)
        {
            errors.Add($"Scl:JunkThreshold: must not be above Scl:ArchiveThreshold ({o.JunkThreshold} > {o.ArchiveThreshold})");
        }

        if (o.ArchiveThreshold > o.RejectThreshold)
        {
            errors.Add($"Scl:ArchiveThreshold: must not be above Scl:RejectThreshold ({o.ArchiveThreshold} > {o.RejectThreshold})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
