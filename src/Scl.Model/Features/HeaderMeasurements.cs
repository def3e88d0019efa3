using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace MailGateway.Scl.Model.Features;

/// <summary>
/// What a message's header says about how it was sent (<see cref="HeaderEvidence"/>): its domains, relaying hosts,
/// mailer, Message-ID maker and a fixed list of telling headers. Arbitrary header names are never read: in the corpus
/// they include other filters' verdicts and collection artefacts.
/// </summary>
internal static partial class HeaderMeasurements
{
    private static readonly HashSet<string> Notable = new(StringComparer.OrdinalIgnoreCase)
    {
        "List-Id", "List-Unsubscribe", "List-Post", "Precedence", "In-Reply-To", "References", "Mail-Followup-To",
        "X-Mailman-Version", "User-Agent", "X-Mailer", "X-Priority", "X-MSMail-Priority", "Importance", "Organization",
        "Cc", "Sender", "Errors-To", "X-MimeOLE", "Thread-Index", "Content-Language", "MIME-Version", "To",
        "Reply-To", "X-Originating-IP", "Disposition-Notification-To",
    };

    /// <summary>Measures the header; an RFC 2047 encoded subject's charset is added to <paramref name="charsets"/>.</summary>
    public static HeaderEvidence Measure(MimeMessage message, List<string> charsets)
    {
        var fromDomain = DomainNames.Of(message.From.Mailboxes.FirstOrDefault());
        var replyToDomain = DomainNames.Of(message.ReplyTo.Mailboxes.FirstOrDefault());
        var returnPath = message.Headers[HeaderId.ReturnPath];
        var returnPathDomain = "";
        if (!string.IsNullOrWhiteSpace(returnPath) && MailboxAddress.TryParse(returnPath.Trim(), out var rp))
        {
            returnPathDomain = DomainNames.Of(rp);
        }

        var received = 0;
        string? newestReceived = null;
        var relayFlags = new List<string>(ReceivedHop.FlagOrder.Length);
        var encodedSubject = false;
        var notable = new List<string>();
        foreach (var header in message.Headers)
        {
            if (Notable.Contains(header.Field) && notable.Count < 40)
            {
                var name = header.Field.ToLowerInvariant();
                if (header.Id == HeaderId.Precedence || name == "x-priority")
                {
                    name += "=" + MailerName.FirstWord(header.Value ?? "");
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
                    // The newest hop outside the receiving network: when the message left its sender's side.
                    newestReceived ??= header.Value;
                    received++;
                    ReceivedHop.AddRelayHostFlags(header.Value ?? "", relayFlags);
                }
            }
            else if (header.Id == HeaderId.Subject)
            {
                var raw = Encoding.Latin1.GetString(header.RawValue);
                var match = EncodedWordCharset().Match(raw);
                if (match.Success)
                {
                    encodedSubject = true;
                    DistinctList.Add(charsets, match.Groups[1].Value.ToLowerInvariant());
                }
            }
        }

        var mailer = message.Headers["X-Mailer"] ?? message.Headers[HeaderId.UserAgent] ?? "";
        return new HeaderEvidence
        {
            FromDomain = fromDomain,
            ReplyToDomain = replyToDomain,
            ReturnPathDomain = returnPathDomain,
            ReplyToDiffersFromFrom = replyToDomain.Length > 0 && !DomainNames.SameOrganisation(replyToDomain, fromDomain),
            ReturnPathDiffersFromFrom = returnPathDomain.Length > 0 && !DomainNames.SameOrganisation(returnPathDomain, fromDomain),
            ReceivedCount = received,
            Mailer = MailerName.FirstWord(mailer),
            MailerProduct = MailerName.Product(mailer),
            MessageIdDomain = DomainNames.OfMessageId(message.Headers[HeaderId.MessageId]),
            MissingDate = !message.Headers.Contains(HeaderId.Date),
            MissingMessageId = !message.Headers.Contains(HeaderId.MessageId),
            EncodedWordSubject = encodedSubject,
            NotableHeaders = notable,
            Charsets = charsets,
            RelayHostFlags = ReceivedHop.FlagOrder.Where(relayFlags.Contains).ToArray(),
            SenderFlags = SenderEvidence.Flags(message, newestReceived),
        };
    }

    [GeneratedRegex(@"=\?([^?\s]{1,40})\?[bqBQ]\?")]
    private static partial Regex EncodedWordCharset();
}
