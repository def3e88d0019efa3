namespace MailGateway.Scl.Model.Features;

/// <summary>The small token lists of the features: no empty values, no repeats, at most 20.</summary>
internal static class DistinctList
{
    public static void Add(List<string> list, string value)
    {
        if (value.Length > 0 && list.Count < 20 && !list.Contains(value))
        {
            list.Add(value);
        }
    }
}
