using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Images;

/// <summary>Checks the <c>Images</c> section at start; each failure names its key.</summary>
public sealed class ImageHeuristicOptionsValidator : IValidateOptions<ImageHeuristicOptions>
{
    public ValidateOptionsResult Validate(string? name, ImageHeuristicOptions o)
    {
        var errors = new List<string>();
        if (o.SclBoost is < 0 or > 9)
        {
            errors.Add($"Images:SclBoost: must be between 0 and 9 (was {o.SclBoost})");
        }

        if (o.MaxTextChars < 0)
        {
            errors.Add($"Images:MaxTextChars: must not be negative (was {o.MaxTextChars})");
        }

        if (o.ImageBytesPerTextChar < 1)
        {
            errors.Add($"Images:ImageBytesPerTextChar: must be at least 1 (was {o.ImageBytesPerTextChar})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
