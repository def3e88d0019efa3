using System.Globalization;
using System.Text;
using MailGateway.Scl.Model.Features;
using Microsoft.ML.Data;

namespace MailGateway.Scl.Model.Input;

/// <summary>
/// The row the ML.NET pipeline sees: free text, a bag of evidence tokens and a fixed vector of numbers. Training and
/// scoring both build it here, so the two can never featurise a message differently.
/// </summary>
internal sealed class ModelInput
{
    /// <summary>Characters of body text given to the n-gram featurisers: enough to judge, cheap to hash.</summary>
    public const int ModelTextChars = 4000;

    /// <summary>Length of <see cref="Numbers"/>; changing the list below changes the model format.</summary>
    public const int NumberCount = 28;

    /// <summary>Subject words given to the evidence bag as <c>subj:</c> tokens.</summary>
    private const int MaxSubjectWords = 24;

    /// <summary>Longer runs of letters and digits in a subject are not words (encoded junk, CJK without spaces).</summary>
    private const int MaxSubjectWordLength = 30;

    private static readonly HashSet<string> RiskyExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "exe", "scr", "pif", "com", "bat", "cmd", "js", "vbs", "jar", "lnk", "hta", "iso", "img", "zip", "rar", "7z",
        "html", "htm", "docm", "xlsm",
    };

    /// <summary>Subject and the first <see cref="ModelTextChars"/> characters of visible text.</summary>
    public string Text { get; set; } = "";

    /// <summary>Space-separated evidence tokens (mailer, charsets, media types, URL hosts, header flags).</summary>
    public string Meta { get; set; } = "";

    /// <summary>Counts and ratios, log-scaled to roughly 0..1.</summary>
    [VectorType(NumberCount)]
    public float[] Numbers { get; set; } = new float[NumberCount];

    /// <summary>True for spam (training only).</summary>
    public bool Label { get; set; }

    /// <summary>The message's weight in the learners' losses (training only).</summary>
    public float Weight { get; set; } = 1;

    public static ModelInput From(MessageFeatures f, bool label = false)
    {
        // Features built elsewhere than FeatureExtractor must not bring a filter's subject tag in either.
        var subject = FilterTags.StripSubjectTags(f.Subject);
        var body = f.BodyText.Length > ModelTextChars ? f.BodyText[..ModelTextChars] : f.BodyText;
        return new ModelInput
        {
            Text = subject.Length == 0 ? body : string.Concat(subject, " \n ", body),
            Meta = MetaTokens(f, subject),
            Numbers = NumbersOf(f, subject),
            Label = label,
        };
    }

    private static string MetaTokens(MessageFeatures f, string subject)
    {
        var h = f.Headers;
        var sb = new StringBuilder(256);
        void Add(string token) => sb.Append(token).Append(' ');

        // The subject's words again, as their own tokens: in the text bag they weigh like any body word, while a
        // spam subject is written to be opened and a ham subject names its thread (SpamAssassin's Bayes and Graham's
        // "A Plan for Spam" tokenise the Subject apart from the body for the same reason).
        AppendSubjectWords(sb, subject);

        Add(h.Mailer.Length > 0 ? "mailer:" + h.Mailer : "mailer:none");
        if (h.MailerProduct.Length > 0)
        {
            Add("product:" + h.MailerProduct);
        }

        // Who made the Message-ID: the sender's own organisation, another one (a list, an ESP, a forger), or a
        // bare machine name (a desktop client that wrote it itself).
        if (h.MessageIdDomain.Length == 0)
        {
            Add("msgid:none");
        }
        else if (!h.MessageIdDomain.Contains('.'))
        {
            Add("msgid:bare-host");
        }
        else
        {
            Add(h.FromDomain.Length > 0 && DomainNames.SameOrganisation(h.MessageIdDomain, h.FromDomain) ? "msgid:from-org" : "msgid:other-org");
        }

        foreach (var name in h.NotableHeaders)
        {
            Add("hdr:" + Token(name));
        }

        // How the message was sent (the bulk stage's evidence and BCL): what tells a subscribed newsletter from spam
        // across sites, where its words do not.
        foreach (var name in f.Bulk.Names())
        {
            Add("bulk:" + name);
        }

        Add("bcl:" + f.Bulk.Bcl.ToString(System.Globalization.CultureInfo.InvariantCulture));

        foreach (var flag in h.RelayHostFlags)
        {
            Add("rcvd:" + flag);
        }

        foreach (var flag in h.SenderFlags)
        {
            Add(flag);
        }

        foreach (var cs in h.Charsets)
        {
            Add("charset:" + Token(cs));
        }

        foreach (var mt in f.MediaTypes)
        {
            Add("type:" + Token(mt));
        }

        foreach (var te in f.TextTransferEncodings)
        {
            Add("cte:" + te);
        }

        foreach (var a in f.Attachments)
        {
            Add("att:" + (a.Extension.Length > 0 ? a.Extension : "noext"));
            if (RiskyExtensions.Contains(a.Extension))
            {
                Add("att:risky");
            }
        }

        foreach (var host in f.Urls.Domains)
        {
            Add("url:" + Token(DomainNames.LastLabels(host, 2)));
            Add("tld:" + Token(DomainNames.LastLabels(host, 1)));
        }

        if (h.FromDomain.Length > 0)
        {
            Add("fromtld:" + Token(DomainNames.LastLabels(h.FromDomain, 1)));
        }

        if (h.ReplyToDiffersFromFrom)
        {
            Add("flag:replyto-differs");
        }

        if (h.ReturnPathDiffersFromFrom)
        {
            Add("flag:returnpath-differs");
        }

        if (h.MissingDate)
        {
            Add("flag:no-date");
        }

        if (h.MissingMessageId)
        {
            Add("flag:no-msgid");
        }

        if (h.EncodedWordSubject)
        {
            Add("flag:encoded-subject");
        }

        if (f.HasHtml && !f.HasPlainText)
        {
            Add("flag:html-only");
        }

        if (f.Images.RemoteImageCount > 0)
        {
            Add("flag:remote-img");
        }

        if (f.Urls.IpLiteralCount > 0)
        {
            Add("flag:ip-url");
        }

        if (f.BodyText.Length == 0)
        {
            Add("flag:no-text");
        }

        if (f.ParseFailed)
        {
            Add("flag:parse-failed");
        }

        return sb.ToString();
    }

    /// <summary>
    /// Appends <c>subj:word </c> for each of the subject's runs of letters and digits, lower-cased, at most
    /// <see cref="MaxSubjectWords"/>; runs longer than <see cref="MaxSubjectWordLength"/> are skipped.
    /// </summary>
    private static void AppendSubjectWords(StringBuilder sb, ReadOnlySpan<char> subject)
    {
        var words = 0;
        var i = 0;
        while (i < subject.Length && words < MaxSubjectWords)
        {
            if (!char.IsLetterOrDigit(subject[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < subject.Length && char.IsLetterOrDigit(subject[i]))
            {
                i++;
            }

            if (i - start > MaxSubjectWordLength)
            {
                continue;
            }

            sb.Append("subj:");
            foreach (var c in subject[start..i])
            {
                sb.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            }

            sb.Append(' ');
            words++;
        }
    }

    private static float[] NumbersOf(MessageFeatures f, string subject)
    {
        var h = f.Headers;
        var body = f.BodyText;
        int upper = 0, letters = 0, digits = 0, exclaims = 0, dollars = 0;
        var sample = body.Length > ModelTextChars ? body.AsSpan(0, ModelTextChars) : body.AsSpan();
        foreach (var c in sample)
        {
            if (char.IsLetter(c))
            {
                letters++;
                if (char.IsUpper(c))
                {
                    upper++;
                }
            }
            else if (char.IsDigit(c))
            {
                digits++;
            }
            else if (c == '!')
            {
                exclaims++;
            }
            else if (c == '$')
            {
                dollars++;
            }
        }

        int subjectUpper = 0, subjectLetters = 0, subjectExclaims = 0;
        foreach (var c in subject)
        {
            if (char.IsLetter(c))
            {
                subjectLetters++;
                if (char.IsUpper(c))
                {
                    subjectUpper++;
                }
            }
            else if (c == '!')
            {
                subjectExclaims++;
            }
        }

        long attachmentBytes = 0;
        foreach (var a in f.Attachments)
        {
            attachmentBytes += a.Bytes;
        }

        var n = new float[NumberCount];
        n[0] = Log(body.Length, 32 * 1024);
        n[1] = Log(f.HtmlLength, 256 * 1024);
        n[2] = f.HasPlainText ? 1 : 0;
        n[3] = f.HasHtml ? 1 : 0;
        n[4] = f.HasHtml && !f.HasPlainText ? 1 : 0;
        n[5] = Log(f.Urls.Count, 500);
        n[6] = Log(f.Urls.Domains.Count, 40);
        n[7] = f.Urls.IpLiteralCount > 0 ? 1 : 0;
        n[8] = Log(h.ReceivedCount, 30);
        n[9] = h.ReplyToDiffersFromFrom ? 1 : 0;
        n[10] = h.ReturnPathDiffersFromFrom ? 1 : 0;
        n[11] = h.MissingDate ? 1 : 0;
        n[12] = h.MissingMessageId ? 1 : 0;
        n[13] = h.EncodedWordSubject ? 1 : 0;
        n[14] = subjectLetters == 0 ? 0 : (float)subjectUpper / subjectLetters;
        n[15] = Log(subject.Length, 300);
        n[16] = Log(f.Images.ImagePartCount, 20);
        n[17] = Log(f.Images.ImageBytes, 10_000_000);
        n[18] = Log(f.Images.RemoteImageCount, 50);
        n[19] = Log(f.Attachments.Count, 20);
        n[20] = Log(attachmentBytes, 20_000_000);
        n[21] = f.Attachments.Any(a => RiskyExtensions.Contains(a.Extension)) ? 1 : 0;
        n[22] = letters == 0 ? 0 : (float)upper / letters;
        n[23] = Log(exclaims, 100);
        n[24] = sample.Length == 0 ? 0 : (float)digits / sample.Length;
        n[25] = Log(f.PartCount, 100);
        n[26] = Log(subjectExclaims + dollars, 100);
        n[27] = f.BodyText.Length == 0 ? 1 : 0;
        return n;
    }

    /// <summary>log(1+x) scaled so that x = <paramref name="max"/> gives 1; larger values go a little past 1.</summary>
    private static float Log(double x, double max) => (float)(Math.Log(1 + Math.Max(0, x)) / Math.Log(1 + max));

    private static string Token(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            sb.Append(char.IsWhiteSpace(c) ? '_' : char.ToLower(c, CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
