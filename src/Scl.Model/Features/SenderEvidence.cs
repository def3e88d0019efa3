using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;

namespace MailGateway.Scl.Model.Features;

/// <summary>
/// What the Date, From and To headers say about how a message was written: a date that disagrees with when it left
/// its sender's side, a From whose name holds an address or whose local part a program numbered, a To that hides or
/// repeats the sender. Mail software that people and subscribed senders use gets these right; much spam does not.
/// Only evidence that points the same way in every collection with both ham and spam is read: a From without a
/// display name and a message without To are common in one collection's ham and another's spam, so they are not
/// (docs/scl-model.md, "Sender and relay evidence").
/// </summary>
internal static partial class SenderEvidence
{
    /// <summary>A Date this many hours after the newest Received timestamp is in the future.</summary>
    private const double FutureHours = 3;

    /// <summary>A Date this many hours before the newest Received timestamp was written long before it was sent.</summary>
    private const double PastHours = 96;

    /// <summary>
    /// <c>date:future</c> / <c>date:past</c> (Date after, or days before, <paramref name="newestReceived"/>'s
    /// timestamp: the newest hop outside the receiving network), <c>date:invalid</c> (unparseable),
    /// <c>date:no-numeric-zone</c> (a zone name or none instead of +hhmm); <c>from:name-has-address</c>,
    /// <c>from:local-digits</c> (three or more digits in a row in the local part); <c>to:undisclosed</c>,
    /// <c>to:is-from</c>. Distinct, in that order.
    /// </summary>
    public static IReadOnlyList<string> Flags(MimeMessage message, string? newestReceived)
    {
        var flags = new List<string>(6);
        DateFlags(message.Headers[HeaderId.Date], newestReceived, flags);
        var from = message.From.Mailboxes.FirstOrDefault();
        if (from is not null)
        {
            FromFlags(from, flags);
        }

        ToFlags(message, from, flags);
        return flags;
    }

    internal static void DateFlags(string? date, string? newestReceived, List<string> flags)
    {
        if (string.IsNullOrWhiteSpace(date))
        {
            return;
        }

        if (!DateUtils.TryParse(date, out var written))
        {
            flags.Add("date:invalid");
            return;
        }

        if (!NumericZone().IsMatch(date))
        {
            flags.Add("date:no-numeric-zone");
        }

        var semicolon = newestReceived?.LastIndexOf(';') ?? -1;
        if (semicolon < 0 || !DateUtils.TryParse(newestReceived![(semicolon + 1)..], out var received))
        {
            return;
        }

        var hours = (written - received).TotalHours;
        if (hours > FutureHours)
        {
            flags.Add("date:future");
        }
        else if (hours < -PastHours)
        {
            flags.Add("date:past");
        }
    }

    private static void FromFlags(MailboxAddress from, List<string> flags)
    {
        if ((from.Name ?? "").Contains('@'))
        {
            flags.Add("from:name-has-address");
        }

        if (LocalDigits().IsMatch(from.LocalPart ?? ""))
        {
            flags.Add("from:local-digits");
        }
    }

    private static void ToFlags(MimeMessage message, MailboxAddress? from, List<string> flags)
    {
        var raw = message.Headers[HeaderId.To] ?? "";
        if (raw.Contains("undisclosed", StringComparison.OrdinalIgnoreCase))
        {
            flags.Add("to:undisclosed");
        }

        var to = message.To.Mailboxes.FirstOrDefault();
        if (to is not null && from is not null && string.Equals(to.Address, from.Address, StringComparison.OrdinalIgnoreCase))
        {
            flags.Add("to:is-from");
        }
    }

    [GeneratedRegex(@"[+-]\d{4}\b")]
    private static partial Regex NumericZone();

    [GeneratedRegex(@"\d{3}")]
    private static partial Regex LocalDigits();
}
