using MailGateway.Filters.Chain;

namespace MailGateway.Filters.Keywords;

/// <summary>
/// The custom keyword list in the chain: a good phrase forces SCL 0, a bad one SCL 9 (good wins), and the later
/// spam filters leave a forced SCL alone.
/// </summary>
public sealed class KeywordFilter(KeywordList keywords) : IMessageFilter
{
    public string Name => "Keywords";

    public FilterKind Kind => FilterKind.Spam;

    public async Task<FilterStepResult> RunAsync(MessageContext context, CancellationToken cancellationToken)
    {
        if (!keywords.IsEnabled)
        {
            return FilterStepResult.Continue("disabled");
        }

        var text = await context.GetTextAsync(cancellationToken);
        var match = keywords.Evaluate(text.Subject, text.Body);
        if (match is null)
        {
            return FilterStepResult.Continue("none");
        }

        context.ForceScl(match.Scl);
        var kind = match.Kind == KeywordKind.Good ? "good" : "bad";
        return FilterStepResult.Continue($"{kind}:\"{Compact(match.Phrase)}\"");
    }

    // The trace goes into a header: keep the phrase short and on one line, without quotes.
    private static string Compact(string phrase)
    {
        var clean = new string(phrase.Select(c => char.IsControl(c) || c == '"' ? ' ' : c).ToArray());
        clean = string.Join('_', clean.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return clean.Length > 40 ? clean[..40] : clean;
    }
}
