using MailGateway.Scl.Model.Input;

namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// One hashed n-gram bag of the <c>Features</c> vector (word n-grams, character n-grams, evidence tokens): a text
/// column of <see cref="ModelInput"/>, optionally normalised, turned into keys, its n-grams counted into
/// 2^bits slots from <see cref="Offset"/> on and, when the model says so, scaled to the model's L2 norm (its scale) as ML.NET's
/// <c>LpNormNormalizingTransformer</c> does it (float norm, values multiplied by scale / norm, left alone when that
/// factor is below 1e-8).
/// </summary>
internal sealed class HashedBagFeature(
    string sourceColumn, Func<ModelInput, string> source, TextNormalizerTable? normalizer, TextKeys keys,
    NgramSlotHasher ngrams, float? l2Scale, int offset)
{
    private const float MinimumNormScale = 1e-8f;

    public string SourceColumn => sourceColumn;

    public int Offset => offset;

    public int Length => ngrams.SlotCount;

    /// <summary>How the text becomes keys: words (<see cref="WordKeys"/>) or characters (<see cref="CharacterKeys"/>).</summary>
    public TextKeys Keys => keys;

    /// <summary>
    /// Every n-gram this bag counts for <paramref name="input"/>, in counting order: its slot in <c>Features</c> and its
    /// words (null when the keys are characters). For explaining a score; it allocates, so never on the scoring path.
    /// </summary>
    public IReadOnlyList<(int Slot, string? Text)> Ngrams(ModelInput input)
    {
        var text = source(input) ?? "";
        if (normalizer is not null)
        {
            var buffer = new char[text.Length];
            text = new string(buffer, 0, normalizer.Normalize(text, buffer));
        }

        var keyBuffer = new uint[keys.MaxKeys(text.Length)];
        var keyCount = keys.Write(text, keyBuffer);
        var words = keys.Tokens(text);
        var result = new List<(int, string?)>();
        foreach (var (start, length) in ngrams.Ngrams(keyCount))
        {
            var slot = offset + (int)ngrams.Slot(keyBuffer.AsSpan(start, length));
            result.Add((slot, words is null ? null : string.Join(' ', words, start, length)));
        }

        return result;
    }

    /// <summary>Appends this bag's non-zero slots to <paramref name="scratch"/>.</summary>
    public void AppendTo(ModelInput input, FeatureScratch scratch)
    {
        ReadOnlySpan<char> text = source(input) ?? "";
        if (normalizer is not null)
        {
            var buffer = scratch.Text(text.Length);
            text = buffer[..normalizer.Normalize(text, buffer)];
        }

        var keyBuffer = scratch.Keys(keys.MaxKeys(text.Length));
        var keyCount = keys.Write(text, keyBuffer);
        var counts = scratch.Counts;
        var first = counts.Count;
        ngrams.AddNgrams(keyBuffer[..keyCount], counts, offset);
        var slots = counts.Slots(first);

        var factor = 1f;
        if (l2Scale is { } scale)
        {
            // Counts are small integers: their squares add up exactly in double and are exact in float as long as
            // ML.NET's float sum is (below 2^24), so the order of summation does not matter.
            double sumOfSquares = 0;
            foreach (var slot in slots)
            {
                var count = counts[slot];
                sumOfSquares += count * count;
            }

            var norm = (float)Math.Sqrt((float)sumOfSquares);
            factor = norm > 0 ? scale / norm : scale;
            if (factor < MinimumNormScale)
            {
                factor = 1;
            }
        }

        foreach (var slot in slots)
        {
            scratch.Append(slot, factor * counts[slot]);
        }
    }
}
