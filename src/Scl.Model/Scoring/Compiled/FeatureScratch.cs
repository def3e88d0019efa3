using Microsoft.ML.Data;

namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// One scoring thread's buffers for <see cref="CompiledTextFeaturizer"/>: normalised text, keys, the n-gram counts and
/// the finished sparse <c>Features</c> vector (<see cref="Indices"/>/<see cref="Values"/>, in no particular slot
/// order). Rented from a pool per message and grown on the rare message that needs more, never allocated per message.
/// </summary>
internal sealed class FeatureScratch(int featuresLength)
{
    private char[] _text = new char[8 * 1024];
    private uint[] _keys = new uint[8 * 1024];
    private int[] _indices = new int[4 * 1024];
    private float[] _values = new float[4 * 1024];

    public SparseAccumulator Counts { get; } = new(featuresLength);

    public int FeaturesLength => featuresLength;

    /// <summary>Non-zero slots written so far.</summary>
    public int Count { get; private set; }

    public ReadOnlySpan<int> Indices => _indices.AsSpan(0, Count);

    public ReadOnlySpan<float> Values => _values.AsSpan(0, Count);

    /// <summary>Writable values (the test seam that perturbs the compiled output edits them).</summary>
    public Span<float> MutableValues => _values.AsSpan(0, Count);

    public void Reset()
    {
        Count = 0;
        Counts.Clear();
    }

    public void Append(int slot, float value)
    {
        if (Count == _indices.Length)
        {
            Array.Resize(ref _indices, _indices.Length * 2);
            Array.Resize(ref _values, _values.Length * 2);
        }

        _indices[Count] = slot;
        _values[Count++] = value;
    }

    /// <summary>A text buffer of at least <paramref name="length"/> code units.</summary>
    public Span<char> Text(int length)
    {
        if (_text.Length < length)
        {
            _text = new char[Math.Max(length, _text.Length * 2)];
        }

        return _text;
    }

    /// <summary>A key buffer of at least <paramref name="length"/> keys.</summary>
    public Span<uint> Keys(int length)
    {
        if (_keys.Length < length)
        {
            _keys = new uint[Math.Max(length, _keys.Length * 2)];
        }

        return _keys;
    }

    /// <summary>The vector as ML.NET's sorted sparse <see cref="VBuffer{T}"/> (a copy; for the load-time check and tests).</summary>
    public VBuffer<float> ToVBuffer()
    {
        var order = Indices.ToArray();
        var values = Values.ToArray();
        Array.Sort(order, values);
        return new VBuffer<float>(featuresLength, order.Length, values, order);
    }
}
