using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Cleanup;

/// <summary>Each entry of <c>Cleanup:RemoveHeaders</c> is a field name, optionally ending in one '*'.</summary>
public sealed class CleanupOptionsValidator : IValidateOptions<CleanupOptions>
{
    public ValidateOptionsResult Validate(string? name, CleanupOptions options)
    {
        var errors = new List<string>();
        foreach (var pattern in options.RemoveHeaders)
        {
            var stem = pattern.EndsWith('*') ? pattern[..^1] : pattern;
            if (stem.Length == 0 || !stem.All(HeaderFieldRules.IsFieldNameChar) || stem.Contains('*'))
            {
                errors.Add($"Cleanup:RemoveHeaders: '{pattern}' is not a header field name (letters, digits, '-', optionally ending in '*')");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
