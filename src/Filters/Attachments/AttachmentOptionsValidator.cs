using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Attachments;

/// <summary>Checks the <c>Attachments</c> section at start, naming the key that is wrong.</summary>
public sealed class AttachmentOptionsValidator : IValidateOptions<AttachmentOptions>
{
    private const string Section = AttachmentOptions.Section;

    public ValidateOptionsResult Validate(string? name, AttachmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Action is not (AttachmentAction.Reject or AttachmentAction.Archive))
        {
            failures.Add($"{Section}:Action must be Reject or Archive (is {options.Action}).");
        }

        if (!Enum.IsDefined(options.OnEncryptedArchive))
        {
            failures.Add($"{Section}:OnEncryptedArchive must be Reject, Archive or Deliver (is {options.OnEncryptedArchive}).");
        }

        if (!Enum.IsDefined(options.OnUnscannable))
        {
            failures.Add($"{Section}:OnUnscannable must be Reject, Archive or Deliver (is {options.OnUnscannable}).");
        }

        if (options.Block.Any(e => e.Trim().TrimStart('.').Length == 0 || e.Contains('/') || e.Contains('\\')))
        {
            failures.Add($"{Section}:Block holds an empty extension or a path.");
        }

        if (options.BlockTypes.Any(k => !Enum.IsDefined(k)))
        {
            failures.Add($"{Section}:BlockTypes holds an unknown type (known: {string.Join(", ", Enum.GetNames<FileKind>())}).");
        }

        if (options.MaxArchiveEntries is < 1 or > 1_000_000)
        {
            failures.Add($"{Section}:MaxArchiveEntries must be between 1 and 1000000 (is {options.MaxArchiveEntries}).");
        }

        if (options.MaxExpandedBytes < 1)
        {
            failures.Add($"{Section}:MaxExpandedBytes must be positive (is {options.MaxExpandedBytes}).");
        }

        if (options.MaxArchiveBytes < 1)
        {
            failures.Add($"{Section}:MaxArchiveBytes must be positive (is {options.MaxArchiveBytes}).");
        }

        if (options.TimeoutSeconds is < 1 or > 600)
        {
            failures.Add($"{Section}:TimeoutSeconds must be between 1 and 600 (is {options.TimeoutSeconds}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
