namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// Where ML.NET's <c>NgramHashingTransformer</c> (one source column, no skips) counts the n-grams of a sequence of
/// keys, from the settings saved in the model: every run of 1 to <see cref="NgramLength"/> consecutive keys starting at
/// each position (only runs of exactly that length when not <see cref="AllLengths"/>), each hashed to a slot as in
/// ML.NET's <c>NgramIdFinder</c>: a single key is its own hash unless unigrams are rehashed, a longer run is the
/// MurmurHash3 of its keys with the seed; with ordered hashing the hash is mixed once more (the source column index,
/// always 0 here, adds no round); the slot is the hash masked to <see cref="NumberOfBits"/> bits. Missing keys (0) are
/// hashed like any other key, as ML.NET does.
/// </summary>
internal sealed class NgramSlotHasher(int ngramLength, bool allLengths, bool rehashUnigrams, bool ordered, int numberOfBits, uint seed)
{
    private readonly uint _mask = (1u << numberOfBits) - 1;

    public int NgramLength { get; } = ngramLength;

    public bool AllLengths { get; } = allLengths;

    public int NumberOfBits { get; } = numberOfBits;

    /// <summary>Slots in the bag: 2^<see cref="NumberOfBits"/>.</summary>
    public int SlotCount => 1 << NumberOfBits;

    /// <summary>Adds one to the slot of every n-gram of <paramref name="keys"/>, at <paramref name="offset"/> in <paramref name="counts"/>.</summary>
    public void AddNgrams(ReadOnlySpan<uint> keys, SparseAccumulator counts, int offset)
    {
        var n = NgramLength;
        var shortest = AllLengths ? 1 : n;
        for (var start = 0; start < keys.Length; start++)
        {
            var longest = Math.Min(n, keys.Length - start);
            for (var length = shortest; length <= longest; length++)
            {
                counts.Add(offset + (int)Slot(keys.Slice(start, length)), 1f);
            }
        }
    }

    /// <summary>
    /// Where each n-gram <see cref="AddNgrams"/> counts over <paramref name="keyCount"/> keys starts and how long it is,
    /// in the same order (for explaining a score; scoring uses <see cref="AddNgrams"/>).
    /// </summary>
    public IEnumerable<(int Start, int Length)> Ngrams(int keyCount)
    {
        var shortest = AllLengths ? 1 : NgramLength;
        for (var start = 0; start < keyCount; start++)
        {
            var longest = Math.Min(NgramLength, keyCount - start);
            for (var length = shortest; length <= longest; length++)
            {
                yield return (start, length);
            }
        }
    }

    /// <summary>The slot (before the bag's offset) of one n-gram of keys.</summary>
    public uint Slot(ReadOnlySpan<uint> ngram)
    {
        uint hash;
        if (!AllLengths && NgramLength > 1)
        {
            hash = MlNetHashing.Keys(seed, ngram);
        }
        else if (rehashUnigrams || ngram.Length > 1)
        {
            hash = MlNetHashing.Keys(seed, ngram);
        }
        else
        {
            hash = ngram[0];
        }

        return (ordered ? MlNetHashing.Mix(hash) : hash) & _mask;
    }
}
