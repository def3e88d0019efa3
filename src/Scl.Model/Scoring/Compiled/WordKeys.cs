namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// ML.NET's word tokenizer followed by its hashing transform, as <c>ProduceHashedWordBags</c> chains them: the text is
/// split at the model's separator characters, each piece trimmed of spaces (only U+0020, not other white space) and
/// dropped when empty; each word's key is its MurmurHash3 (<see cref="MlNetHashing.Word"/>) with the model's seed,
/// masked to the model's bit count, plus one (key 0 means missing in ML.NET).
/// </summary>
internal sealed class WordKeys(char[] separators, int numberOfBits, uint seed) : TextKeys
{
    private readonly uint _mask = (1u << numberOfBits) - 1;

    public override int MaxKeys(int textLength) => (textLength + 1) / 2;

    public override int Write(ReadOnlySpan<char> text, Span<uint> keys)
    {
        var n = 0;
        var rest = text;
        while (!rest.IsEmpty)
        {
            var word = NextWord(ref rest);
            if (!word.IsEmpty)
            {
                keys[n++] = (MlNetHashing.Word(seed, word) & _mask) + 1;
            }
        }

        return n;
    }

    /// <summary>The words <see cref="Write"/> hashes, in order: one per key.</summary>
    public override string[] Tokens(ReadOnlySpan<char> text)
    {
        var words = new List<string>();
        var rest = text;
        while (!rest.IsEmpty)
        {
            var word = NextWord(ref rest);
            if (!word.IsEmpty)
            {
                words.Add(word.ToString());
            }
        }

        return words.ToArray();
    }

    /// <summary>The next piece up to a separator, trimmed of spaces (possibly empty); <paramref name="rest"/> moves past it.</summary>
    private ReadOnlySpan<char> NextWord(ref ReadOnlySpan<char> rest)
    {
        var end = separators.Length == 1 ? rest.IndexOf(separators[0]) : rest.IndexOfAny(separators);
        var word = (end < 0 ? rest : rest[..end]).Trim(' ');
        rest = end < 0 ? default : rest[(end + 1)..];
        return word;
    }
}
