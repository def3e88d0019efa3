namespace MailGateway.Bench.SmtpBench;

/// <summary><c>--name value</c> pairs from the command line.</summary>
internal sealed class BenchArguments(Dictionary<string, string> values)
{
    public static BenchArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        return new BenchArguments(values);
    }

    public int Number(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v) : fallback;

    public string Text(string name, string fallback) => values.GetValueOrDefault(name, fallback);
}
