namespace MailGateway.Filters.ConfigFiles;

/// <summary>
/// An administrator's file (<c>keywords.json</c>, <c>allowlist.json</c>) could not be used. The message names the file
/// and the first problem (JSON position or the list entry), because it ends up in the log or the start failure line.
/// </summary>
public sealed class ConfigFileException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>; <paramref name="reason"/> says what is wrong.</summary>
    public ConfigFileException(string path, string reason, Exception? innerException = null)
        : base($"{path}: {reason}", innerException)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The full path of the file.</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Reason { get; }
}
