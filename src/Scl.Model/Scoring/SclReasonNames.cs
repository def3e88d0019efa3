using System.Globalization;
using MailGateway.Scl.Model.Features;
using MailGateway.Scl.Model.Input;

namespace MailGateway.Scl.Model.Scoring;

/// <summary>
/// The words for each thing the model looks at (<see cref="ModelInput"/>): the text's word and letter bags, the
/// evidence tokens by their prefix and each of the numbers. One table, so a reason reads the same wherever it is
/// shown; the same words for the same fact (the <c>flag:no-msgid</c> token and the missing-Message-ID number) make one
/// reason.
/// </summary>
internal static class SclReasonNames
{
    public const string Words = "words of the subject and body";

    public const string Letters = "letter patterns of the subject and body";

    public const string Subject = "the subject";

    public const string UrlDomains = "the domains of the URLs";

    public const string BulkMail = "bulk-mail evidence";

    /// <summary>The reason an n-gram of a hashed bag counts toward, and the token to show for it (null: none).</summary>
    /// <param name="sourceColumn">The <see cref="ModelInput"/> column the bag reads.</param>
    /// <param name="text">The n-gram's words, or null when the bag counts characters.</param>
    /// <param name="f">The message, for counts in the words.</param>
    public static (string Reason, string? Token) OfNgram(string sourceColumn, string? text, MessageFeatures f) => sourceColumn switch
    {
        nameof(ModelInput.Text) => text is null ? (Letters, null) : (Words, WordsShown(text)),
        nameof(ModelInput.Meta) when text is not null => OfEvidence(text, f),
        _ => ($"the {sourceColumn} column", text),
    };

    // The model's text is "subject \n body": the line break between them is a "word" of its own to the tokenizer, which
    // splits at spaces only. It is no word of the message: an n-gram of it alone is counted but not named, and a bigram
    // of it and a word is shown (and summed) as that word.
    internal static string? WordsShown(string ngram)
    {
        var words = ngram.Split(' ').Where(w => !string.IsNullOrWhiteSpace(w)).ToArray();
        return words.Length == 0 ? null : string.Join(' ', words);
    }

    /// <summary>An evidence token (<c>prefix:value</c>, see <see cref="ModelInput"/>) in words.</summary>
    public static (string Reason, string? Token) OfEvidence(string token, MessageFeatures f)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        var prefix = colon < 0 ? token : token[..colon];
        var value = colon < 0 ? "" : token[(colon + 1)..];
        return prefix switch
        {
            "subj" => (Subject, value),
            "mailer" when value == "none" => ("no X-Mailer or User-Agent", null),
            "mailer" or "product" => ("the mailer (X-Mailer, User-Agent)", value),
            "msgid" => value switch
            {
                "none" => (Of(12, f), null),
                "bare-host" => ("a Message-ID from a bare host name", null),
                "from-org" => ("a Message-ID from the sender's domain", null),
                _ => ("a Message-ID from another domain", null),
            },
            "hdr" => ("the headers present", value),
            "bulk" => (BulkMail, value),
            "bcl" => (BulkMail, "BCL " + value),
            "rcvd" => ("the relay hosts (Received)", value),
            "charset" => ("the character sets", value),
            "type" => ("the MIME part types", value),
            "cte" => ("the transfer encodings", value),
            "att" => value == "risky" ? (Of(21, f), null) : ("the attachment types", value),
            "url" => (UrlDomains, value),
            "tld" => (UrlDomains, "." + value),
            "fromtld" => ("the sender's top-level domain", "." + value),
            "flag" => value switch
            {
                "replyto-differs" => (Of(9, f), null),
                "returnpath-differs" => (Of(10, f), null),
                "no-date" => (Of(11, f), null),
                "no-msgid" => (Of(12, f), null),
                "encoded-subject" => (Of(13, f), null),
                "html-only" => (Of(4, f), null),
                "remote-img" => (Of(18, f), null),
                "ip-url" => (Of(7, f), null),
                "no-text" => (Of(27, f), null),
                "parse-failed" => ("a message that does not parse", null),
                _ => ("other evidence", token),
            },
            _ => ("other evidence", token),
        };
    }

    /// <summary><see cref="ModelInput.Numbers"/>[<paramref name="index"/>] in words.</summary>
    public static string Of(int index, MessageFeatures f) => index switch
    {
        0 => "the length of the body",
        1 => "the size of the HTML",
        2 => "a plain-text part",
        3 => "an HTML part",
        4 => "HTML without a plain-text part",
        5 => Count(f.Urls.Count, "URL", "URLs"),
        6 => "URLs to " + Count(f.Urls.Domains.Count, "domain", "domains"),
        7 => "URLs to IP addresses",
        8 => Count(f.Headers.ReceivedCount, "Received header", "Received headers"),
        9 => "a Reply-To not the sender's",
        10 => "a Return-Path not the sender's",
        11 => "no Date header",
        12 => "no Message-ID",
        13 => "an encoded subject",
        14 => "capitals in the subject",
        15 => "the length of the subject",
        16 => Count(f.Images.ImagePartCount, "image part", "image parts"),
        17 => "the size of the images",
        18 => Count(f.Images.RemoteImageCount, "remote image", "remote images"),
        19 => Count(f.Attachments.Count, "attachment", "attachments"),
        20 => "the size of the attachments",
        21 => "a risky attachment type",
        22 => "capitals in the body",
        23 => "exclamation marks in the body",
        24 => "digits in the body",
        25 => Count(f.PartCount, "MIME part", "MIME parts"),
        26 => "'!' in the subject and '$' in the body",
        27 => "no text",
        _ => $"number {index.ToString(CultureInfo.InvariantCulture)}",
    };

    private static string Count(long n, string one, string many) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many);
}
