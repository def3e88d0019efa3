using Microsoft.Extensions.Options;

namespace MailGateway.Filters.AllowList;

/// <summary>Checks the <c>AllowList</c> section at start; each failure names its key.</summary>
public sealed class AllowListOptionsValidator : IValidateOptions<AllowListOptions>
{
    private const string Section = AllowListOptions.SectionName;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AllowListOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.Path))
        {
            failures.Add($"{Section}:Path must be set.");
        }
        else if (options.Path.AsSpan().ContainsAny(System.IO.Path.GetInvalidPathChars()))
        {
            failures.Add($"{Section}:Path contains a character not allowed in a path.");
        }

        if (options.ReloadDelayMilliseconds is < 0 or > 60_000)
        {
            failures.Add($"{Section}:ReloadDelayMilliseconds must be between 0 and 60000 (is {options.ReloadDelayMilliseconds}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
