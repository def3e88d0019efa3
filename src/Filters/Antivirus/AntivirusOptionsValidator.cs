using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Antivirus;

/// <summary>
/// Checks the <c>Antivirus</c> section at start so that a typo fails the start with a message naming the key, rather
/// than every message later failing its scan.
/// </summary>
public sealed class AntivirusOptionsValidator : IValidateOptions<AntivirusOptions>
{
    private const string Section = AntivirusOptions.SectionName;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AntivirusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.SocketPath))
        {
            if (string.IsNullOrWhiteSpace(options.Host))
            {
                failures.Add($"{Section}:Host must be set when {Section}:SocketPath is empty.");
            }

            if (options.Port is < 1 or > 65535)
            {
                failures.Add($"{Section}:Port must be between 1 and 65535 (is {options.Port}).");
            }
        }

        if (options.TimeoutSeconds is < 1 or > 3600)
        {
            failures.Add($"{Section}:TimeoutSeconds must be between 1 and 3600 (is {options.TimeoutSeconds}).");
        }

        if (!Enum.IsDefined(options.OnInfected))
        {
            failures.Add($"{Section}:OnInfected must be Reject or Archive (is {options.OnInfected}).");
        }

        if (!Enum.IsDefined(options.OnError))
        {
            failures.Add($"{Section}:OnError must be TempFail or Accept (is {options.OnError}).");
        }

        if (options.MaxDecodedParts < 0)
        {
            failures.Add($"{Section}:MaxDecodedParts must not be negative (is {options.MaxDecodedParts}).");
        }

        if (options.TolerantScanBytes is < 0 or > 256 * 1024 * 1024)
        {
            failures.Add($"{Section}:TolerantScanBytes must be between 0 and 268435456 (is {options.TolerantScanBytes}).");
        }

        if (options.MaxTolerantParts is < 0 or > 100_000)
        {
            failures.Add($"{Section}:MaxTolerantParts must be between 0 and 100000 (is {options.MaxTolerantParts}).");
        }

        if (options.MaxTolerantDecodedBytes is < 0 or > 1024L * 1024 * 1024)
        {
            failures.Add($"{Section}:MaxTolerantDecodedBytes must be between 0 and 1073741824 (is {options.MaxTolerantDecodedBytes}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
