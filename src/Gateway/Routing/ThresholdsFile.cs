using System.Text.Json;

namespace MailGateway.Gateway.Routing;

/// <summary>
/// Reads <c>config/thresholds.json</c> (<c>{ "Scl": { "JunkThreshold": 4, "ArchiveThreshold": 7,
/// "RejectThreshold": 10 }, "Bulk": { "Threshold": 7 } }</c>): the settings an administrator tunes on a running
/// gateway. A missing file means the defaults; missing keys keep their defaults.
/// </summary>
public static class ThresholdsFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The SCL thresholds, or the errors (each naming its key) that make the file unusable.</summary>
    public static (SclOptions? Options, IReadOnlyList<string> Errors) Load(string path)
    {
        var (thresholds, errors) = LoadAll(path);
        return (thresholds?.Scl, errors);
    }

    /// <summary>The SCL and bulk thresholds, or the errors (each naming its key) that make the file unusable.</summary>
    public static (RoutingThresholds? Thresholds, IReadOnlyList<string> Errors) LoadAll(string path)
    {
        if (!File.Exists(path))
        {
            return (new RoutingThresholds(new SclOptions(), new BulkOptions()), []);
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
    public static RoutingThresholds ParseOrThrow(byte[] content, string path)
    {
        var (thresholds, errors) = Parse(content, path);
        return thresholds ?? throw new InvalidDataException(string.Join("; ", errors));
    }

    private static (RoutingThresholds? Thresholds, IReadOnlyList<string> Errors) Parse(byte[] content, string path)
    {
        SclOptions options;
        BulkOptions bulk;
        try
        {
            var document = JsonSerializer.Deserialize<Document>(content, Json);
            options = document?.Scl ?? new SclOptions();
            bulk = document?.Bulk ?? new BulkOptions();
        }
        catch (JsonException ex)
        {
            var key = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "Scl" : ex.Path.TrimStart('$', '.').Replace('.', ':');
            return (null, [$"{key}: {path} is not valid ({ex.Message.Split(" Path:")[0]})"]);
        }

        var failures = new List<string>();
        var result = new SclOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            failures.AddRange(result.Failures);
        }

        if (bulk.Threshold is < 0 or > 10)
        {
            failures.Add($"Bulk:Threshold: must be between 0 and 10 (was {bulk.Threshold})");
        }

        return failures.Count > 0 ? (null, failures) : (new RoutingThresholds(options, bulk), []);
    }

    private sealed class Document
    {
        public SclOptions? Scl { get; set; }

        public BulkOptions? Bulk { get; set; }
    }
}
