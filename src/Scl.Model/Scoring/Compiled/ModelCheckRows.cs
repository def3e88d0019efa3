using System.Text;
using MailGateway.Scl.Model.Input;

namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// Made-up model rows on which a loaded model's compiled parts must give ML.NET's own output before they replace it
/// (<see cref="TreeMemberCompiler"/>, <see cref="LinearMemberCompiler"/>, <see cref="TextFeaturizerCompiler"/>): plain
/// and spammy text, empty text, and text that exercises the featurizer's edge cases (letters with diacritics and
/// combining marks, Greek, Cyrillic, CJK, surrogate pairs, punctuation of every kind, digits in several scripts,
/// control characters and white space other than spaces, runs of separators, NUL and U+FFFF, a word repeated hundreds of
/// times, text longer than the model's cap) and odd numbers.
/// </summary>
internal static class ModelCheckRows
{
    public static IReadOnlyList<ModelInput> Create() =>
    [
        Row("", "mailer:none", _ => 0f),
        Row("", "", _ => 0f),
        Row("Hi Bob, the nightly build failed again on the test machine; the patch is attached. Thanks, Alice",
            "mailer:mutt charset:us-ascii type:text/plain hdr:in-reply-to hdr:references", i => i % 3 == 0 ? 0.5f : 0.1f),
        Row("FREE!!! Click here to claim your prize now $$$ limited offer, lowest mortgage rates, unsubscribe below",
            "mailer:none charset:iso-8859-1 type:text/html url:example.biz tld:biz flag:no-date flag:no-message-id",
            i => (i * 37 % 11) / 10f),
        Row("Réunion à 10 h : ordre du jour joint. 会议 agenda attached", "mailer:outlook charset:utf-8 type:application/pdf",
            i => i % 2 == 0 ? 1f : 0f),
        Row("ÀÉÎÕÜ Çà ǅ ǈ ß ẞ İstanbul ıi Ωμέγα ΆΈΉ Ёлка Йод ӂ e\u0301 a\u0308 n\u0303 \u05D0\u05B7 \u0627\u064E ǢǼǾ ĳ Ǆ",
            "url:xn--bcher-kva.example tld:example mailer:thunderbird mailer:thunderbird", i => i / 28f),
        Row("Price: $1,299.99 (save 20%) -- call 555-0100 / +44 20 7946 0958 ... #deal @once & \"now\" [x] {y} <z> ¡¿ «» \u2014 \u2026 \u00B7",
            "flag:ip-url  flag:remote-img   type:text/html", i => i == 5 ? 3.5f : -0.25f),
        Row("digits 0123456789 ٠١٢٣٤٥٦٧٨٩ ० १ ½ ¾ ² Ⅻ 𝟘𝟙 ①② emoji 😀🎉 \uD83D lone \uDC00 low \0nul\uFFFF end",
            "charset:utf-8 \u00E9t\u00E9 TOKEN Token token", _ => 1e-7f),
        Row("line one\nline two\r\n\ttabbed\u00A0nbsp\u2003em-space\u2028sep  double  spaced   words  \n ",
            "  leading and trailing  ", i => 100f * i),
        Row(string.Join(' ', Enumerable.Repeat("free", 600)) + " money " + string.Join(' ', Enumerable.Repeat("FREE!", 300)),
            string.Join(' ', Enumerable.Repeat("att:zip att:risky", 40)), i => i % 5),
        Row(LongText(), "type:text/plain cte:base64 mailer:none", i => (float)Math.Sqrt(i)),
    ];

    private static ModelInput Row(string text, string meta, Func<int, float> number)
    {
        var numbers = new float[ModelInput.NumberCount];
        for (var i = 0; i < numbers.Length; i++)
        {
            numbers[i] = number(i);
        }

        return new ModelInput { Text = text, Meta = meta, Numbers = numbers };
    }

    /// <summary>About 6,000 characters of mixed words, numbers and punctuation (longer than the model's text cap).</summary>
    private static string LongText()
    {
        string[] words = ["the", "quick", "Brown", "fox", "jumps", "over", "lazy", "dog's", "back", "naïve", "café", "2024",
            "e-mail", "http://example.com/a?b=c", "UNSUBSCRIBE", "ünïcödé", "x"];
        var text = new StringBuilder();
        for (var i = 0; text.Length < 6000; i++)
        {
            text.Append(words[i * 7 % words.Length]).Append(i % 11 == 0 ? ". " : i % 13 == 0 ? ",\n" : " ");
        }

        return text.ToString();
    }
}
