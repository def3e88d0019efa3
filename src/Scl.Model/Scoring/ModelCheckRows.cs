using MailGateway.Scl.Model.Training;

namespace MailGateway.Scl.Model.Scoring;

/// <summary>
/// A few made-up model rows (plain, spammy, empty, odd numbers) on which a loaded model's compiled members must give
/// ML.NET's own scores before they replace it (<see cref="TreeMemberCompiler"/>).
/// </summary>
internal static class ModelCheckRows
{
    public static IReadOnlyList<ModelInput> Create() =>
    [
        Row("", "mailer:none", _ => 0f),
        Row("Hi Bob, the nightly build failed again on the test machine; the patch is attached. Thanks, Alice",
            "mailer:mutt charset:us-ascii type:text/plain hdr:in-reply-to hdr:references", i => i % 3 == 0 ? 0.5f : 0.1f),
        Row("FREE!!! Click here to claim your prize now $$$ limited offer, lowest mortgage rates, unsubscribe below",
            "mailer:none charset:iso-8859-1 type:text/html url:example.biz tld:biz flag:no-date flag:no-message-id",
            i => (i * 37 % 11) / 10f),
        Row("Réunion à 10 h : ordre du jour joint. 会议 agenda attached", "mailer:outlook charset:utf-8 type:application/pdf",
            i => i % 2 == 0 ? 1f : 0f),
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
}
