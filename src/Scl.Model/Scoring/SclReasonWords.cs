using System.Globalization;

namespace MailGateway.Scl.Model.Scoring;

/// <summary>
/// An <see cref="SclExplanation"/> said in one line, as the console and <c>mailgw score --why</c> show it: the
/// features that pushed most toward spam, with their strongest words and their share in log-odds ("the subject:
/// 'free', 'winner' (+2.1), URLs to 3 domains (+1.4)"); for a message the model leans to ham, first those that pushed
/// most toward ham.
/// </summary>
public static class SclReasonWords
{
    /// <summary>Reasons named each way.</summary>
    public const int Count = 3;

    private const int MaxTokenLength = 40;

    /// <summary>The reasons of <paramref name="explanation"/> on one line.</summary>
    public static string Of(SclExplanation explanation)
    {
        var spam = List(explanation.TowardSpam(Count));
        var parts = new List<string>(2);
        if (explanation.LogOdds < 0)
        {
            parts.Add("toward ham: " + (explanation.TowardHam(Count) is { Count: > 0 } ham ? List(ham) : "nothing stands out"));
            if (spam.Length > 0)
            {
                parts.Add("toward spam: " + spam);
            }
        }
        else
        {
            parts.Add(spam.Length > 0 ? spam : "no single feature stands out");
        }

        var words = string.Join("; ", parts);
        return explanation.LinearPartOnly
            ? $"{words}; plus the trees' part ({Signed(explanation.UnexplainedLogOdds)}), not broken down"
            : words;
    }

    /// <summary>One reason: "the subject: 'free', 'winner' (+2.1)".</summary>
    public static string Of(SclReason reason) =>
        reason.Feature
        + (reason.Tokens.Count > 0 ? ": " + string.Join(", ", reason.Tokens.Select(Quote)) : "")
        + $" ({Signed(reason.LogOdds)})";

    private static string List(IEnumerable<SclReason> reasons) => string.Join(", ", reasons.Select(Of));

    private static string Quote(string token) =>
        "'" + (token.Length > MaxTokenLength ? token[..MaxTokenLength] + "…" : token) + "'";

    private static string Signed(double logOdds) => logOdds.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture);
}
