using System.Text;

namespace MailGateway.Filters.Tests.Keywords;

/// <summary>
/// A test text as the naive searches of the keyword tests read it: lower-cased (ToLowerInvariant keeps lengths for
/// the characters these tests use) with each run of white space as one space, and a map from each of its characters
/// back to the index in the original text.
/// </summary>
internal static class CollapsedText
{
    public static (string Text, List<int> Map) Of(string text)
    {
        var collapsed = new StringBuilder();
        var map = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                if (collapsed.Length > 0 && collapsed[^1] == ' ')
                {
                    continue;
                }

                collapsed.Append(' ');
            }
            else
            {
                collapsed.Append(char.ToLowerInvariant(text[i]));
            }

            map.Add(i);
        }

        return (collapsed.ToString(), map);
    }
}
