namespace MailGateway.Filters.Antivirus;

/// <summary>
/// Parses clamd's one-line replies. Kept apart from the socket code so that every reply shape clamd is known to send
/// can be unit-tested without a clamd.
/// </summary>
public static class ClamdReplyParser
{
    private const string FoundSuffix = " FOUND";
    private const string ErrorSuffix = " ERROR";
    private const string OkSuffix = ": OK";

    /// <summary>Parses the reply to <c>zINSTREAM</c>, e.g. <c>stream: OK</c> or <c>stream: Eicar-Signature FOUND</c>.</summary>
    public static ClamdScanReply ParseScanReply(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var text = TrimTerminators(reply);

        // With IDSESSION replies carry a "<id>: " prefix and every scan reply names its target ("stream: ");
        // the verdict is always the suffix, so parse from the end.
        if (text.EndsWith(OkSuffix, StringComparison.Ordinal))
        {
            return new ClamdScanReply(ClamdReplyStatus.Clean, null, text);
        }

        if (text.EndsWith(FoundSuffix, StringComparison.Ordinal))
        {
            var body = text[..^FoundSuffix.Length];
            var colon = body.LastIndexOf(": ", StringComparison.Ordinal);
            var signature = colon >= 0 ? body[(colon + 2)..].Trim() : string.Empty;
            return signature.Length == 0
                ? new ClamdScanReply(ClamdReplyStatus.Error, null, text)
                : new ClamdScanReply(ClamdReplyStatus.Infected, signature, text);
        }

        // "INSTREAM size limit exceeded. ERROR", "stream: Can't allocate memory ERROR", or something unexpected.
        var status = text.Contains("size limit exceeded", StringComparison.OrdinalIgnoreCase)
            ? ClamdReplyStatus.SizeLimitExceeded
            : ClamdReplyStatus.Error;
        return new ClamdScanReply(status, null, text);
    }

    /// <summary>
    /// The error text of an ERROR reply without the target prefix and the ERROR word, e.g. <c>Can't allocate memory</c>
    /// for <c>stream: Can't allocate memory ERROR</c>.
    /// </summary>
    public static string ErrorText(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var text = TrimTerminators(reply);
        if (text.EndsWith(ErrorSuffix, StringComparison.Ordinal))
        {
            text = text[..^ErrorSuffix.Length];
        }

        text = WithoutSessionPrefix(text);
        if (text.StartsWith("stream: ", StringComparison.Ordinal))
        {
            text = text["stream: ".Length..];
        }

        return text.Trim();
    }

    /// <summary>Removes the "<c>N: </c>" request number clamd puts before each reply inside an IDSESSION.</summary>
    public static string WithoutSessionPrefix(string text)
    {
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && text.AsSpan(0, colon).IndexOfAnyExceptInRange('0', '9') < 0 ? text[(colon + 2)..] : text;
    }

    /// <summary>Removes the NUL (z-commands) or newline (n-commands) that ends a reply.</summary>
    public static string TrimTerminators(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply.TrimEnd('\0', '\n', '\r', ' ');
    }
}
