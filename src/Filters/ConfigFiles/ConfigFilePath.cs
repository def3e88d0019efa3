namespace MailGateway.Filters.ConfigFiles;

/// <summary>Resolves the path of an administrator's file from its option value.</summary>
public static class ConfigFilePath
{
    /// <summary>
    /// <paramref name="path"/> when it is absolute; otherwise <paramref name="path"/> under
    /// <paramref name="baseDirectory"/> (the gateway's config folder), never the process's current directory, which
    /// depends on how the service was started.
    /// </summary>
    public static string Resolve(string path, string baseDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseDirectory);
        return System.IO.Path.GetFullPath(path, System.IO.Path.GetFullPath(baseDirectory));
    }
}
