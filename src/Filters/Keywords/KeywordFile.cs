using System.Text.Json;

namespace MailGateway.Filters.Keywords;

/// <summary>
/// Reads <c>keywords.json</c>: <c>{ "good": ["phrase", ...], "bad": ["phrase", {"phrase": "...", "scl": "+3"}, ...] }</c>.
/// A bad phrase written as a string forces SCL 9; written as an object with <c>"scl": "+N"</c> it adds N (1-9) instead.
/// Comments and trailing commas are allowed, since administrators edit it by hand; an unknown key is an error, so a
/// misspelt list is not silently empty.
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
            return new KeywordMatcher(document.Good ?? [], (document.Bad ?? []).Select(ReadBad).ToList());
        }
        catch (ArgumentException exception)
        {
            throw new InvalidDataException(exception.Message.Split(" (Parameter", 2)[0], exception);
        }
    }

    /// <summary>A <c>bad</c> entry: a string, or <c>{"phrase": "...", "scl": "+N"}</c>.</summary>
    private static BadPhrase ReadBad(JsonElement element, int index)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return new BadPhrase(element.GetString()!, 0);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"bad[{index}] must be a string or {{\"phrase\": \"...\", \"scl\": \"+N\"}}.");
        }

        string? phrase = null;
        string? scl = null;
        foreach (var property in element.EnumerateObject())
        {
            if (property.NameEquals("phrase") || property.Name.Equals("phrase", StringComparison.OrdinalIgnoreCase))
            {
                phrase = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
            }
            else if (property.Name.Equals("scl", StringComparison.OrdinalIgnoreCase))
            {
                scl = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
            }
            else
            {
                throw new ArgumentException($"bad[{index}] has an unknown key \"{property.Name}\" (known: phrase, scl).");
            }
        }

        if (phrase is null)
        {
            throw new ArgumentException($"bad[{index}] has no \"phrase\" string.");
        }

        if (scl is null)
        {
            return new BadPhrase(phrase, 0);
        }

        // Only "+N": a bare number would be ambiguous between "force N" and "add N".
        if (scl.Length != 2 || scl[0] != '+' || scl[1] is < '1' or > '9')
        {
            throw new ArgumentException($"bad[{index}] has \"scl\": \"{scl}\"; write \"+1\" to \"+9\" (or leave it out to force SCL 9).");
        }

        return new BadPhrase(phrase, scl[1] - '0');
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

        public List<JsonElement>? Bad { get; set; }
    }
}
