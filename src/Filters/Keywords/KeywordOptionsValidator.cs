using MailGateway.Filters.ConfigFiles;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Keywords;

/// <summary>Checks the <c>Keywords</c> section at start; each failure names its key.</summary>
public sealed class KeywordOptionsValidator : IValidateOptions<KeywordOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, KeywordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ConfigFileOptionsChecks.Validate(KeywordOptions.SectionName, options.Path, options.ReloadDelayMilliseconds);
    }
}
