using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace MailGateway.Scl.Model.Features;

/// <summary>
/// Measures a message: walks its MIME tree once, reads each text part only up to a cap (a 50 MB message costs no
/// more than a small one), and never throws on malformed input; what went wrong becomes a note instead.
/// </summary>
public static partial class FeatureExtractor
{
    /// <summary>Visible text kept per message; enough for the model, bounded for huge or hostile bodies.</summary>
    public const int MaxTextChars = 32 * 1024;

    /// <summary>HTML characters read per part before conversion.</summary>
    public const int MaxHtmlChars = 256 * 1024;

    /// <summary>URLs counted per message.</summary>
    public const int MaxUrls = 500;

    private const int MaxDomains = 40;
    /// <summary>MIME parts walked per message.</summary>
    internal const int MaxParts = 1000;
    private const int RawFallbackBytes = 64 * 1024;

    private static readonly HashSet<string> Notable = new(StringComparer.OrdinalIgnoreCase)
    {
        "List-Id", "List-Unsubscribe", "List-Post", "Precedence", "In-Reply-To", "References", "Mail-Followup-To",
        "X-Mailman-Version", "User-Agent", "X-Mailer", "X-Priority", "X-MSMail-Priority", "Importance", "Organization",
        "Cc", "Sender", "Errors-To", "X-MimeOLE", "Thread-Index", "Content-Language", "MIME-Version", "To",
        "Reply-To", "X-Originating-IP", "Disposition-Notification-To",
    };

    static FeatureExtractor()
    {
        // Legacy charsets (gb2312, koi8-r, windows-1251 ...) are common in spam.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>Parses <paramref name="stream"/> with MimeKit and measures it; unparseable input still yields features.</summary>
    /// <returns>The parsed message (null when MimeKit could not parse it) and its features.</returns>
    public static async Task<(MimeMessage? Message, MessageFeatures Features)> ExtractAsync(
        Stream stream, CancellationToken cancellationToken)
    {
        var start = stream.CanSeek ? stream.Position : 0;
        try
        {
            var message = await MimeMessage.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
            return (message, Extract(message));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (null, await FromRawAsync(stream, start, ex.GetType().Name, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Measures an already parsed message (the filter chain parses once and shares it).</summary>
    public static MessageFeatures Extract(MimeMessage message)
    {
        var notes = new List<string>();
        try
        {
            return ExtractCore(message, notes);
        }
        catch (Exception ex)
        {
            // Last line of defence: a MimeKit or HTML-scanning surprise on hostile input must not fail the scorer.
            notes.Add($"feature-extraction-failed: {ex.GetType().Name}");
            return new MessageFeatures { Subject = FilterTags.StripSubjectTags(SafeSubject(message)), Notes = notes };
        }
    }

    private static MessageFeatures ExtractCore(MimeMessage message, List<string> notes)
    {
        var text = new StringBuilder();
        var urls = new UrlCollector();
        var mediaTypes = new List<string>();
        var encodings = new List<string>();
        var charsets = new List<string>();
        var attachments = new List<AttachmentInfo>();
        int parts = 0, imageParts = 0, remoteImages = 0, inlineImages = 0, htmlLength = 0;
        long imageBytes = 0;
        bool hasPlain = false, hasHtml = false, trackingPixel = false, unsubscribeLink = false;

        foreach (var entity in message.BodyParts)
        {
            if (++parts > MaxParts)
            {
                notes.Add($"more than {MaxParts} MIME parts: the rest not measured");
                break;
            }

            var contentType = entity.ContentType;
            var mediaType = $"{contentType.MediaType}/{contentType.MediaSubtype}".ToLowerInvariant();
            if (mediaTypes.Count < 50)
            {
                mediaTypes.Add(mediaType);
            }

            if (entity is not MimePart part)
            {
                continue;
            }

            var isText = VisibleText.IsShown(part);
            if (isText)
            {
                var isHtml = VisibleText.IsHtml(part);
                hasHtml |= isHtml;
                hasPlain |= !isHtml;
                AddDistinct(encodings, part.ContentTransferEncoding.ToString().ToLowerInvariant());
                if (contentType.Charset is { Length: > 0 } cs)
                {
                    AddDistinct(charsets, cs.Trim().ToLowerInvariant());
                }

                if (text.Length >= MaxTextChars)
                {
                    continue;
                }

                var (partHtmlLength, html, pixel) = VisibleText.AppendPart(text, part, isHtml, MaxTextChars, notes);
                htmlLength += partHtmlLength;
                trackingPixel |= pixel;
                if (html is not null)
                {
                    remoteImages += html.RemoteImages;
                    inlineImages += html.InlineImages;
                    foreach (var href in html.Hrefs)
                    {
                        urls.AddUrl(href);
                        unsubscribeLink |= BulkEvidence.MentionsUnsubscribe(href);
                    }
                }

                continue;
            }

            var bytes = EstimateDecodedBytes(part);
            if (contentType.MediaType.Equals("image", StringComparison.OrdinalIgnoreCase))
            {
                imageParts++;
                imageBytes += bytes;
            }

            var fileName = SafeFileName(part);
            if (part.IsAttachment || fileName.Length > 0 || !contentType.MediaType.Equals("image", StringComparison.OrdinalIgnoreCase))
            {
                attachments.Add(new AttachmentInfo(fileName, ExtensionOf(fileName), mediaType, bytes));
            }
        }

        var bodyText = text.ToString();
        urls.AddFromText(bodyText);
        if (bodyText.Length == 0)
        {
            notes.Add("no text in message");
        }
        else if (bodyText.Length >= MaxTextChars)
        {
            notes.Add($"text capped at {MaxTextChars} characters");
        }

        var headers = MeasureHeaders(message, charsets);
        unsubscribeLink |= BulkEvidence.MentionsUnsubscribe(bodyText);
        return new MessageFeatures
        {
            Subject = FilterTags.StripSubjectTags(SafeSubject(message)),
            BodyText = bodyText,
            HtmlLength = htmlLength,
            HasPlainText = hasPlain,
            HasHtml = hasHtml,
            PartCount = parts,
            MediaTypes = mediaTypes,
            TextTransferEncodings = encodings,
            Headers = headers,
            Urls = urls.ToEvidence(),
            Attachments = attachments,
            Images = new ImageMeasurements
            {
                ImagePartCount = imageParts,
                ImageBytes = imageBytes,
                RemoteImageCount = remoteImages,
                InlineImageReferenceCount = inlineImages,
                TextLength = bodyText.Length,
            },
            Bulk = BulkEvidence.Measure(message, headers.FromDomain, unsubscribeLink, trackingPixel),
            Notes = notes,
        };
    }

    private static HeaderEvidence MeasureHeaders(MimeMessage message, List<string> charsets)
    {
        var fromDomain = DomainOf(message.From.Mailboxes.FirstOrDefault());
        var replyToDomain = DomainOf(message.ReplyTo.Mailboxes.FirstOrDefault());
        var returnPath = message.Headers[HeaderId.ReturnPath];
        var returnPathDomain = "";
        if (!string.IsNullOrWhiteSpace(returnPath) && MailboxAddress.TryParse(returnPath.Trim(), out var rp))
        {
            returnPathDomain = DomainOf(rp);
        }

        var received = 0;
        var relayFlags = new List<string>(3);
        var encodedSubject = false;
        var notable = new List<string>();
        foreach (var header in message.Headers)
        {
            if (Notable.Contains(header.Field) && notable.Count < 40)
            {
                var name = header.Field.ToLowerInvariant();
                if (header.Id == HeaderId.Precedence || name == "x-priority")
                {
                    name += "=" + FirstWord(header.Value ?? "");
                }

                if (!notable.Contains(name))
                {
                    notable.Add(name);
                }
            }

            if (header.Id == HeaderId.Received)
            {
                if (!FilterTags.IsInternalHop(header.Value ?? ""))
                {
                    received++;
                    RelayHost(header.Value ?? "", relayFlags);
                }
            }
            else if (header.Id == HeaderId.Subject)
            {
                var raw = Encoding.Latin1.GetString(header.RawValue);
                var match = EncodedWordCharset().Match(raw);
                if (match.Success)
                {
                    encodedSubject = true;
                    AddDistinct(charsets, match.Groups[1].Value.ToLowerInvariant());
                }
            }
        }

        var mailer = message.Headers["X-Mailer"] ?? message.Headers[HeaderId.UserAgent] ?? "";
        return new HeaderEvidence
        {
            FromDomain = fromDomain,
            ReplyToDomain = replyToDomain,
            ReturnPathDomain = returnPathDomain,
            ReplyToDiffersFromFrom = replyToDomain.Length > 0 && !SameOrganisation(replyToDomain, fromDomain),
            ReturnPathDiffersFromFrom = returnPathDomain.Length > 0 && !SameOrganisation(returnPathDomain, fromDomain),
            ReceivedCount = received,
            Mailer = FirstWord(mailer),
            MailerProduct = ProductName(mailer),
            MessageIdDomain = MessageIdDomainOf(message.Headers[HeaderId.MessageId]),
            MissingDate = !message.Headers.Contains(HeaderId.Date),
            MissingMessageId = !message.Headers.Contains(HeaderId.MessageId),
            EncodedWordSubject = encodedSubject,
            NotableHeaders = notable,
            Charsets = charsets,
            RelayHostFlags = new[] { "helo-ip", "no-rdns", "ip-in-rdns" }.Where(relayFlags.Contains).ToArray(),
        };
    }

    /// <summary>Adds what one Received header's <c>from HELO (rdns [ip])</c> clause says about the sending host.</summary>
    internal static void RelayHost(string received, List<string> flags)
    {
        var from = ReceivedFrom().Match(received);
        if (!from.Success)
        {
            return;
        }

        var helo = from.Groups[1].Value;
        var clause = from.Groups[2].Value.Trim();
        var ip = Ipv4().Match(clause);
        if (!ip.Success)
        {
            return;
        }

        if (Ipv4().Match(helo) is { Success: true } h && h.Length == helo.Trim('[', ']').Length)
        {
            AddDistinct(flags, "helo-ip");
        }

        var rdns = clause.StartsWith('[') ? "" : clause.Split(' ', 2)[0].Trim().TrimEnd('.').ToLowerInvariant();
        if (rdns.Length == 0 || rdns == "unknown" || !rdns.Contains('.') || Ipv4().Match(rdns).Length == rdns.Length)
        {
            AddDistinct(flags, "no-rdns");
            return;
        }

        // A host name that spells out the address's last two bytes (d-c-b-a.pool.isp, a.b.c.d.dsl.isp ...).
        var labels = rdns.Split('.', '-');
        if (labels.Contains(ip.Groups[3].Value) && labels.Contains(ip.Groups[4].Value))
        {
            AddDistinct(flags, "ip-in-rdns");
        }
    }

    /// <summary>Features for bytes MimeKit could not parse: the first bytes read as text, flagged as a parse failure.</summary>
    private static async Task<MessageFeatures> FromRawAsync(Stream stream, long start, string reason, CancellationToken ct)
    {
        var notes = new List<string> { $"mime-parse-failed: {reason}" };
        var raw = "";
        try
        {
            if (stream.CanSeek)
            {
                stream.Position = start;
                var buffer = new byte[RawFallbackBytes];
                var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                raw = Encoding.Latin1.GetString(buffer, 0, read);
            }
            else
            {
                notes.Add("stream not seekable: scored without text");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            notes.Add($"raw-read-failed: {ex.GetType().Name}");
        }

        var text = new StringBuilder();
        HtmlText.AppendCollapsed(text, raw, MaxTextChars);
        var bodyText = text.ToString();
        var urls = new UrlCollector();
        urls.AddFromText(bodyText);
        return new MessageFeatures
        {
            BodyText = bodyText,
            ParseFailed = true,
            Urls = urls.ToEvidence(),
            Headers = new HeaderEvidence { MissingDate = true, MissingMessageId = true },
            Images = new ImageMeasurements { TextLength = bodyText.Length },
            Notes = notes,
        };
    }

    private static long EstimateDecodedBytes(MimePart part)
    {
        try
        {
            var stream = part.Content?.Stream;
            if (stream is null || !stream.CanSeek)
            {
                return 0;
            }

            return part.ContentTransferEncoding == ContentEncoding.Base64 ? stream.Length * 3 / 4 : stream.Length;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    private static string SafeSubject(MimeMessage message)
    {
        try
        {
            return message.Subject ?? "";
        }
        catch (Exception)
        {
            return "";
        }
    }

    private static string SafeFileName(MimePart part)
    {
        try
        {
            return part.FileName?.Trim() ?? "";
        }
        catch (Exception)
        {
            return "";
        }
    }

    private static string ExtensionOf(string fileName)
    {
        var dot = fileName.LastIndexOf('.');
        if (dot < 0 || dot == fileName.Length - 1)
        {
            return "";
        }

        var ext = fileName[(dot + 1)..].ToLowerInvariant();
        return ext.Length <= 10 && ext.All(char.IsAsciiLetterOrDigit) ? ext : "";
    }

    private static string DomainOf(MailboxAddress? mailbox)
    {
        try
        {
            return mailbox?.Domain?.Trim().TrimEnd('.').ToLowerInvariant() ?? "";
        }
        catch (Exception)
        {
            return "";
        }
    }

    /// <summary>Same registered domain, roughly: the last two labels agree (mail.example.com ~ example.com).</summary>
    internal static bool SameOrganisation(string a, string b) =>
        string.Equals(LastLabels(a, 2), LastLabels(b, 2), StringComparison.OrdinalIgnoreCase);

    internal static string LastLabels(string host, int count)
    {
        var end = host.Length;
        var index = host.Length;
        for (var i = 0; i < count; i++)
        {
            index = host.LastIndexOf('.', index - 1 < 0 ? 0 : index - 1);
            if (index <= 0)
            {
                return host;
            }
        }

        return host[(index + 1)..end];
    }

    private static string FirstWord(string value)
    {
        var sb = new StringBuilder();
        foreach (var c in value.Trim())
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                sb.Append(char.ToLowerInvariant(c));
                if (sb.Length >= 30)
                {
                    break;
                }
            }
            else if (sb.Length > 0)
            {
                break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Words of <paramref name="value"/> up to the first with a digit (a version), at most four, joined by '-'.</summary>
    internal static string ProductName(string value)
    {
        var sb = new StringBuilder();
        var words = 0;
        foreach (var word in ProductWord().EnumerateMatches(value))
        {
            var w = value.AsSpan(word.Index, word.Length);
            if (w.IndexOfAnyInRange('0', '9') >= 0 || words == 4 || sb.Length + w.Length > 60)
            {
                break;
            }

            if (words++ > 0)
            {
                sb.Append('-');
            }

            foreach (var c in w)
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
    }

    /// <summary>The lower-case right-hand side of a Message-ID (<c>&lt;local@domain&gt;</c>), or empty.</summary>
    internal static string MessageIdDomainOf(string? messageId)
    {
        if (string.IsNullOrWhiteSpace(messageId))
        {
            return "";
        }

        var id = messageId.Trim().TrimStart('<').TrimEnd('>');
        var at = id.LastIndexOf('@');
        if (at < 0 || at == id.Length - 1)
        {
            return "";
        }

        var domain = id[(at + 1)..].Trim().TrimEnd('.').ToLowerInvariant();
        return domain.Length <= 100 && domain.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') ? domain : "";
    }

    private static void AddDistinct(List<string> list, string value)
    {
        if (value.Length > 0 && list.Count < 20 && !list.Contains(value))
        {
            list.Add(value);
        }
    }

    [GeneratedRegex(@"^\s*from\s+(\S+)\s+\(([^)]{1,300})\)", RegexOptions.IgnoreCase)]
    private static partial Regex ReceivedFrom();

    [GeneratedRegex(@"(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})")]
    private static partial Regex Ipv4();

    [GeneratedRegex(@"[A-Za-z0-9]+")]
    private static partial Regex ProductWord();

    [GeneratedRegex(@"=\?([^?\s]{1,40})\?[bqBQ]\?")]
    private static partial Regex EncodedWordCharset();

    /// <summary>Collects URLs from hrefs and plain text: count, distinct hosts, numeric hosts.</summary>
    private sealed partial class UrlCollector
    {
        private readonly List<string> _domains = new();
        private int _count;
        private int _ipLiterals;

        public void AddFromText(string text)
        {
            foreach (Match match in PlainUrl().Matches(text))
            {
                if (_count >= MaxUrls)
                {
                    return;
                }

                AddUrl(match.Value);
            }
        }

        public void AddUrl(string url)
        {
            if (_count >= MaxUrls)
            {
                return;
            }

            if (url.StartsWith("//", StringComparison.Ordinal))
            {
                url = "http:" + url;
            }

            if (!url.StartsWith("http", StringComparison.OrdinalIgnoreCase)
                || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
                || uri.Host.Length == 0)
            {
                return;
            }

            _count++;
            var host = uri.Host.TrimEnd('.').ToLowerInvariant();
            if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || IPAddress.TryParse(host, out _))
            {
                _ipLiterals++;
            }

            if (_domains.Count < MaxDomains && !_domains.Contains(host))
            {
                _domains.Add(host);
            }
        }

        public UrlEvidence ToEvidence() => new() { Count = _count, Domains = _domains, IpLiteralCount = _ipLiterals };

        [GeneratedRegex(@"\bhttps?://[^\s""'<>()\[\]]{2,300}", RegexOptions.IgnoreCase)]
        private static partial Regex PlainUrl();
    }
}
