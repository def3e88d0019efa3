using MailGateway.Filters.ConfigFiles;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.AllowList;

/// <summary>Checks the <c>AllowList</c> section at start; each failure names its key.</summary>
public sealed class AllowListOptionsValidator : IValidateOptions<AllowListOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AllowListOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ConfigFileOptionsChecks.Validate(AllowListOptions.SectionName, options.Path, options.ReloadDelayMilliseconds);
    }
}
