namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// ML.NET's <c>TokenizeIntoCharactersAsKeys</c>: each UTF-16 code unit is its own key (its value; U+0000 is the
/// missing key 0), wrapped in the start (U+0002) and end (U+0003) marker keys when the model uses marker characters and
/// the text is not empty. A key above the key type's count reads as missing, as in ML.NET's n-gram builder.
/// </summary>
internal sealed class CharacterKeys(bool markers, uint keyCount) : TextKeys
{
    private const uint StartMarker = 0x02;
    private const uint EndMarker = 0x03;

    public override int MaxKeys(int textLength) => textLength + 2;

    public override int Write(ReadOnlySpan<char> text, Span<uint> keys)
    {
        if (text.IsEmpty)
        {
            return 0;
        }

        var n = 0;
        if (markers)
        {
            keys[n++] = StartMarker;
        }

        foreach (uint c in text)
        {
            keys[n++] = c > keyCount ? 0 : c;
        }

        if (markers)
        {
            keys[n++] = EndMarker;
        }

        return n;
    }
}
