namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>How a bag turns (normalised) text into the key sequence its n-grams are counted over.</summary>
internal abstract class TextKeys
{
    /// <summary>Most keys <paramref name="textLength"/> code units can give (the key buffer's size).</summary>
    public abstract int MaxKeys(int textLength);

    /// <summary>Writes the keys of <paramref name="text"/> into <paramref name="keys"/>; returns how many.</summary>
    public abstract int Write(ReadOnlySpan<char> text, Span<uint> keys);
}
