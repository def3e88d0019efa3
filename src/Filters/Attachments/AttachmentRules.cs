namespace MailGateway.Filters.Attachments;

/// <summary>The blocked extensions and real types in force, and the one check of a file name and kind against them.</summary>
public sealed class AttachmentRules(IReadOnlySet<string> blockedExtensions, IReadOnlySet<FileKind> blockedKinds)
{
    public static AttachmentRules From(AttachmentOptions options) => new(options.EffectiveBlock, options.EffectiveBlockTypes);

    /// <summary>Why this file is blocked (<c>name(.exe)</c>, <c>type(PeExecutable)</c>), or null.</summary>
    public string? Check(string? fileName, FileKind kind)
    {
        if (Extension(fileName) is { } extension && blockedExtensions.Contains(extension))
        {
            return $"name({extension})";
        }

        return blockedKinds.Contains(kind) ? $"type({kind})" : null;
    }

    /// <summary>
    /// The extension Windows would act on, lower case with its dot: the name's last segment after any '/' or '\',
    /// with the trailing dots and blanks Windows drops ("evil.exe. " runs as evil.exe); null without one.
    /// </summary>
    public static string? Extension(string? fileName)
    {
        if (string.IsNullOrEmpty(fileName))
        {
            return null;
        }

        var name = fileName[(fileName.LastIndexOfAny(['/', '\\']) + 1)..].TrimEnd('.', ' ', '\t', '\0', '\r', '\n');
        var dot = name.LastIndexOf('.');
        return dot < 0 || dot == name.Length - 1 ? null : name[dot..].ToLowerInvariant();
    }
}
