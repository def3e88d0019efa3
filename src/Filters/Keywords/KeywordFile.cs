using System.Text.Json;

namespace MailGateway.Filters.Keywords;

/// <summary>
/// Reads <c>keywords.json</c>: <c>{ "good": ["phrase", ...], "bad": ["phrase", ...] }</c>. Comments and trailing commas
/// are allowed, since administrators edit it by hand; an unknown key is an error, so a misspelt list is not silently
/// empty.
/// </summary>
public static class KeywordFile
{
    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Parses the file's bytes (UTF-8) and builds the matcher.</summary>
    /// <exception cref="InvalidDataException">The JSON or a phrase is invalid; the message says where.</exception>
    public static KeywordMatcher Parse(ReadOnlySpan<byte> utf8Json)
    {
        // Notepad and friends write a byte order mark, which the JSON reader does not skip.
        if (utf8Json.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(utf8Json, SerializerOptions);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException(Describe(exception), exception);
        }

        if (document is null)
        {
            throw new InvalidDataException("the file must contain an object { \"good\": [...], \"bad\": [...] }, not null.");
        }

        try
        {
            return new KeywordMatcher(document.Good ?? [], document.Bad ?? []);
        }
        catch (ArgumentException exception)
        {
            throw new InvalidDataException(exception.Message.Split(" (Parameter", 2)[0], exception);
        }
    }

    private static string Describe(JsonException exception) =>
        exception.LineNumber is { } line
            ? $"invalid JSON at line {line + 1}, position {exception.BytePositionInLine + 1}: {FirstSentence(exception.Message)}"
            : $"invalid JSON: {FirstSentence(exception.Message)}";

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }

    private sealed class Document
    {
        public List<string>? Good { get; set; }

        public List<string>? Bad { get; set; }
    }
}
