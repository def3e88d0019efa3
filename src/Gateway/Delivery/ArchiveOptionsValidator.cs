using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Delivery;

public sealed class ArchiveOptionsValidator : IValidateOptions<ArchiveOptions>
{
    public ValidateOptionsResult Validate(string? name, ArchiveOptions o)
    {
        var errors = new List<string>();
        if (o.RetentionDays < 0)
        {
            errors.Add($"Archive:RetentionDays: must be 0 (keep for ever) or more (was {o.RetentionDays})");
        }

        if (o.SweepInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Archive:SweepInterval: must be at least 1 second (was {o.SweepInterval})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
