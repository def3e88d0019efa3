using System.Globalization;
using System.Text;

namespace MailGateway.Filters.Keywords;

/// <summary>
/// The normalisation phrases and texts share, one rune at a time: lower case (invariant, simple case mapping), any run of
/// white space as one space, format characters (soft hyphen, zero-width space and joiners, BOM) dropped so they cannot
/// split a word, everything else kept as it is. Word characters (letters, combining marks, digits, connector
/// punctuation: regex <c>\w</c>) decide the whole-word boundaries.
/// </summary>
internal static class KeywordText
{
    private static readonly RuneClass[] AsciiClasses = BuildAsciiClasses();

    /// <summary>The class of one rune of text.</summary>
    internal enum RuneClass : byte
    {
        Other,
        Word,
        Space,
        Ignored,
    }

    /// <summary>Classifies an ASCII character without decoding (the common case in mail).</summary>
    public static RuneClass ClassifyAscii(char c) => AsciiClasses[c];

    /// <summary>Classifies any rune.</summary>
    public static RuneClass Classify(Rune rune)
    {
        if (rune.IsAscii)
        {
            return AsciiClasses[rune.Value];
        }

        if (Rune.IsWhiteSpace(rune))
        {
            return RuneClass.Space;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
                or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
                or UnicodeCategory.ConnectorPunctuation => RuneClass.Word,
            UnicodeCategory.Format => RuneClass.Ignored,
            _ => RuneClass.Other,
        };
    }

    /// <summary>
    /// Normalises a phrase from the file: the text normalisation, with leading and trailing white space removed.
    /// Returns the normalised phrase and whether it begins and ends with a word character (only those ends need a
    /// boundary, so <c>$$$</c> or <c>100%</c> match wherever they appear).
    /// </summary>
    public static (string Normalized, bool StartsWithWord, bool EndsWithWord) NormalizePhrase(string phrase)
    {
        var builder = new StringBuilder(phrase.Length);
        var pendingSpace = false;
        bool? startsWithWord = null;
        var endsWithWord = false;
        Span<char> lowered = stackalloc char[2];
        foreach (var rune in phrase.EnumerateRunes())
        {
            var cls = Classify(rune);
            if (cls == RuneClass.Ignored)
            {
                continue;
            }

            if (cls == RuneClass.Space)
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            var written = Rune.ToLowerInvariant(rune).EncodeToUtf16(lowered);
            builder.Append(lowered[..written]);
            startsWithWord ??= cls == RuneClass.Word;
            endsWithWord = cls == RuneClass.Word;
        }

        return (builder.ToString(), startsWithWord ?? false, endsWithWord);
    }

    private static RuneClass[] BuildAsciiClasses()
    {
        var classes = new RuneClass[128];
        for (var c = 0; c < 128; c++)
        {
            classes[c] = char.IsAsciiLetterOrDigit((char)c) || c == '_' ? RuneClass.Word
                : c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f' ? RuneClass.Space
                : RuneClass.Other;
        }

        return classes;
    }
}
