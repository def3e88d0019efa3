using System.Buffers;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace MailGateway.Filters.Chain;

/// <summary>The words of a message as a reader sees them: the subject and the decoded body (HTML turned into text).</summary>
public sealed partial record MessageText(string Subject, string Body)
{
    /// <summary>Body text beyond this is not read by text filters (bounded work per message).</summary>
    public const int MaxBodyChars = 256 * 1024;

    public static MessageText Empty { get; } = new("", "");

    public static MessageText Of(MimeMessage message)
    {
        string body;
        try
        {
            // Read the body part through a capped reader: a 50 MB text part must not become a 100 MB string.
            var parts = message.BodyParts.OfType<TextPart>().ToList();
            var plain = parts.FirstOrDefault(p => p.IsPlain && !p.IsAttachment);
            var html = parts.FirstOrDefault(p => p.IsHtml && !p.IsAttachment);
            body = plain is not null ? ReadCapped(plain) : html is not null ? HtmlToText(ReadCapped(html)) : "";
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException)
        {
            // An unknown charset or a broken encoding: what could not be decoded is not text we can judge.
            body = "";
        }

        return new MessageText(message.Subject ?? "", body);
    }

    private static string ReadCapped(TextPart part)
    {
        if (part.Content is null)
        {
            return "";
        }

        var encoding = part.ContentType.CharsetEncoding ?? System.Text.Encoding.UTF8;
        using var reader = new StreamReader(part.Content.Open(), encoding, detectEncodingFromByteOrderMarks: false);
        // Grown as the text comes, in pooled blocks: a fixed buffer of the cap's size was a 512 KB allocation for every
        // message, most of whose bodies are a few kilobytes.
        var block = ArrayPool<char>.Shared.Rent(8192);
        try
        {
            var text = new StringBuilder();
            while (text.Length < MaxBodyChars)
            {
                var read = reader.Read(block, 0, Math.Min(block.Length, MaxBodyChars - text.Length));
                if (read == 0)
                {
                    break;
                }

                text.Append(block, 0, read);
            }

            return text.ToString();
        }
        finally
        {
            ArrayPool<char>.Shared.Return(block);
        }
    }

    private static string HtmlToText(string html)
    {
        if (html.Length == 0)
        {
            return "";
        }

        var withoutScripts = ScriptOrStyle().Replace(html, " ");
        return WebUtility.HtmlDecode(Tag().Replace(withoutScripts, " "));
    }

    [GeneratedRegex(@"<(script|style)\b.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline, 1000)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex("<[^>]*>", RegexOptions.None, 1000)]
    private static partial Regex Tag();
}
