using System.Text.Json;

namespace MailGateway.Gateway.Routing;

/// <summary>
/// Reads <c>config/thresholds.json</c> (<c>{ "Scl": { "JunkThreshold": 4, "ArchiveThreshold": 7,
/// "RejectThreshold": 10 } }</c>): the settings an administrator tunes on a running gateway. A missing file means
/// the defaults; missing keys keep their defaults.
/// </summary>
public static class ThresholdsFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The thresholds, or the errors (each naming its key) that make the file unusable.</summary>
    public static (SclOptions? Options, IReadOnlyList<string> Errors) Load(string path)
    {
        if (!File.Exists(path))
        {
            return (new SclOptions(), []);
        }

        try
        {
            return Parse(File.ReadAllBytes(path), path);
        }
        catch (IOException ex)
        {
            return (null, [$"Scl: cannot read {path} ({ex.Message})"]);
        }
    }

    /// <summary>The thresholds in <paramref name="content"/>, for a reload: throws <see cref="InvalidDataException"/> naming the keys.</summary>
    public static SclOptions ParseOrThrow(byte[] content, string path)
    {
        var (options, errors) = Parse(content, path);
        return options ?? throw new InvalidDataException(string.Join("; ", errors));
    }

    private static (SclOptions? Options, IReadOnlyList<string> Errors) Parse(byte[] content, string path)
    {
        SclOptions options;
        try
        {
            var document = JsonSerializer.Deserialize<Document>(content, Json);
            options = document?.Scl ?? new SclOptions();
        }
        catch (JsonException ex)
        {
            var key = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "Scl" : ex.Path.TrimStart('$', '.').Replace('.', ':');
            return (null, [$"{key}: {path} is not valid ({ex.Message.Split(" Path:")[0]})"]);
        }

        var result = new SclOptionsValidator().Validate(null, options);
        return result.Failed ? (null, result.Failures.ToList()) : (options, []);
    }

    private sealed class Document
    {
        public SclOptions? Scl { get; set; }
    }
}
