using System.Text;

namespace MailGateway.Scl.Model.Features;

/// <summary>
/// The form of a Message-ID's left-hand side with its random parts abstracted: each run between separators becomes
/// one letter for what it is made of (<c>d</c> digits, <c>h</c> lower-case hex, <c>H</c> upper-case hex, <c>a</c>
/// lower-case letters, <c>A</c> upper-case letters, <c>m</c> mixed), separators are kept. Mail software writes its
/// own form (<c>d.h.d@</c>, <c>h$h$h@</c> ...); bulk-mail tools and spamware write theirs, whatever domain they claim.
/// </summary>
public static class MessageIdShape
{
    /// <summary>Runs described; the rest is cut (a long ID says no more by its tail).</summary>
    private const int MaxRuns = 8;

    /// <summary>The shape, ending in <c>@</c> when the ID has a right-hand side; <c>none</c> for no or an empty ID.</summary>
    public static string Of(string? messageId)
    {
        var id = messageId?.Trim().TrimStart('<').TrimEnd('>') ?? "";
        var at = id.LastIndexOf('@');
        var local = at >= 0 ? id[..at] : id;
        if (local.Length == 0)
        {
            return "none";
        }

        var shape = new StringBuilder(2 * MaxRuns + 1);
        var runs = 0;
        var start = 0;
        for (var i = 0; i <= local.Length && runs < MaxRuns; i++)
        {
            if (i < local.Length && char.IsAsciiLetterOrDigit(local[i]))
            {
                continue;
            }

            if (i > start)
            {
                shape.Append(RunClass(local.AsSpan(start, i - start)));
                runs++;
            }

            if (i < local.Length && runs < MaxRuns)
            {
                shape.Append(char.IsAsciiLetterOrDigit(local[i]) || char.IsWhiteSpace(local[i]) || char.IsControl(local[i]) ? '_' : local[i]);
            }

            start = i + 1;
        }

        if (at >= 0)
        {
            shape.Append('@');
        }

        return shape.ToString();
    }

    private static char RunClass(ReadOnlySpan<char> run)
    {
        bool digit = false, lowerHex = false, upperHex = false, lower = false, upper = false;
        foreach (var c in run)
        {
            if (char.IsAsciiDigit(c))
            {
                digit = true;
            }
            else if (c is >= 'a' and <= 'f')
            {
                lowerHex = true;
            }
            else if (c is >= 'A' and <= 'F')
            {
                upperHex = true;
            }
            else if (char.IsAsciiLetterLower(c))
            {
                lower = true;
            }
            else
            {
                upper = true;
            }
        }

        return (digit, lowerHex, upperHex, lower, upper) switch
        {
            (true, false, false, false, false) => 'd',
            (_, true, false, false, false) when digit => 'h',
            (_, false, true, false, false) when digit => 'H',
            (_, _, false, _, false) => 'a',
            (_, false, _, false, _) => 'A',
            _ => 'm',
        };
    }
}
