using MailGateway.Filters.Chain;

namespace MailGateway.Filters.Keywords;

/// <summary>
/// The custom keyword list in the chain: a good phrase forces SCL 0, a bad one SCL 9 (good wins), and the later
/// spam filters leave a forced SCL alone; an additive bad phrase ("+N") adds N to the SCL the chain ends with. It reads
/// the subject and the text a client shows (<see cref="MessageContext.GetVisibleTextAsync"/>, the model's extractor).
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

        var subject = (await context.GetMimeMessageAsync(cancellationToken))?.Subject;
        var match = keywords.Evaluate(subject, await context.GetVisibleTextAsync(cancellationToken));
        if (match is null)
        {
            return FilterStepResult.Continue("none");
        }

        if (match.IsAdditive)
        {
            // Added to whatever SCL the chain ends with (the model comes after this filter).
            context.AddSclAtEnd(match.SclAdd);
            return FilterStepResult.Continue($"bad+{match.SclAdd}:\"{Compact(match.Phrase)}\"");
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
