using Microsoft.Extensions.Options;

namespace MailGateway.Filters.ConfigFiles;

/// <summary>The checks every watched configuration file's options share (Path, ReloadDelayMilliseconds).</summary>
public static class ConfigFileOptionsChecks
{
    public static ValidateOptionsResult Validate(string section, string? path, int reloadDelayMilliseconds)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(path))
        {
            failures.Add($"{section}:Path must be set.");
        }
        else if (path.AsSpan().ContainsAny(System.IO.Path.GetInvalidPathChars()))
        {
            failures.Add($"{section}:Path contains a character not allowed in a path.");
        }

        if (reloadDelayMilliseconds is < 0 or > 60_000)
        {
            failures.Add($"{section}:ReloadDelayMilliseconds must be between 0 and 60000 (is {reloadDelayMilliseconds}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
