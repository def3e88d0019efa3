// Keyword matcher throughput: N phrases, one text of S bytes of mail-like words, Evaluate repeated for a few seconds.
//   dotnet KeywordBench.dll [--phrases 10000] [--size 51200] [--seconds 5]
using System.Diagnostics;
using System.Text;
using MailGateway.Filters.Keywords;

var phraseCount = Argument("--phrases", 10_000);
var size = Argument("--size", 50 * 1024);
var seconds = Argument("--seconds", 5);

var random = new Random(42);
var vocabulary = Enumerable.Range(0, 5_000).Select(_ => Word(random)).Distinct().ToArray();
var phrases = new HashSet<string>();
while (phrases.Count < phraseCount)
{
    phrases.Add(string.Join(' ', Enumerable.Range(0, random.Next(1, 4)).Select(_ => vocabulary[random.Next(vocabulary.Length)])));
}

var all = phrases.ToArray();
var built = Stopwatch.StartNew();
var matcher = new KeywordMatcher(all.Where((_, i) => i % 10 == 0), all.Where((_, i) => i % 10 != 0));
built.Stop();

// Text: words from the same vocabulary (so the automaton walks deep and matches often), some capitalised, with
// punctuation and line breaks; built until it reaches the size.
var text = new StringBuilder(size + 64);
while (text.Length < size)
{
    var word = vocabulary[random.Next(vocabulary.Length)];
    text.Append(random.Next(5) == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word);
    text.Append(random.Next(12) switch { 0 => ". ", 1 => ",\r\n", _ => " " });
}

var body = text.ToString(0, size);
var matchesPerText = matcher.FindAll(body).Count;

// Warm up, then measure.
for (var i = 0; i < 20; i++)
{
    matcher.Evaluate("Subject", body);
}

var texts = 0;
var watch = Stopwatch.StartNew();
while (watch.Elapsed.TotalSeconds < seconds)
{
    matcher.FindAll(body);
    texts++;
}

watch.Stop();
var findAllPerSecond = texts / watch.Elapsed.TotalSeconds;

var bad = new KeywordMatcher([], all.Where((_, i) => i % 10 != 0).Select(p => p + " zzqx"));
texts = 0;
watch.Restart();
while (watch.Elapsed.TotalSeconds < seconds)
{
    bad.Evaluate(null, body);
    texts++;
}

watch.Stop();
var noMatchPerSecond = texts / watch.Elapsed.TotalSeconds;

Console.WriteLine($"phrases: {matcher.GoodCount} good + {matcher.BadCount} bad, built in {built.Elapsed.TotalMilliseconds:F0} ms");
Console.WriteLine($"text: {body.Length} chars, {matchesPerText} phrase occurrences");
Console.WriteLine($"FindAll (every occurrence): {findAllPerSecond:F0} texts/s, {findAllPerSecond * body.Length / 1e6:F1} Mchars/s, {findAllPerSecond * matchesPerText / 1e6:F2} M matches/s");
Console.WriteLine($"Evaluate, no phrase present (full scan): {noMatchPerSecond:F0} texts/s, {noMatchPerSecond * body.Length / 1e6:F1} Mchars/s");

static string Word(Random random)
{
    const string letters = "etaoinshrdlucmfwypvbgkqjxz";
    var length = random.Next(2, 9);
    var chars = new char[length];
    for (var i = 0; i < length; i++)
    {
        // Skewed towards frequent letters, like real text.
        chars[i] = letters[(int)(Math.Pow(random.NextDouble(), 2) * letters.Length)];
    }

    return new string(chars);
}

int Argument(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
