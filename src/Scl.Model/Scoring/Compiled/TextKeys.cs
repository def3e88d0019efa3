namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>How a bag turns (normalised) text into the key sequence its n-grams are counted over.</summary>
internal abstract class TextKeys
{
    /// <summary>Most keys <paramref name="textLength"/> code units can give (the key buffer's size).</summary>
    public abstract int MaxKeys(int textLength);

    /// <summary>Writes the keys of <paramref name="text"/> into <paramref name="keys"/>; returns how many.</summary>
    public abstract int Write(ReadOnlySpan<char> text, Span<uint> keys);

    /// <summary>
    /// What each key of <see cref="Write"/> stands for, in words an administrator reads (one entry per key), or null
    /// when the keys do not stand for words (characters); for explaining a score, never on the scoring path.
    /// </summary>
    public virtual string[]? Tokens(ReadOnlySpan<char> text) => null;
}
