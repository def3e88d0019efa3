namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// A sparse vector built by adding to slots in any order: a dense array of the vector's length (kept zero between
/// uses) plus the list of slots touched, so a message costs its own slots and never a pass over all 540,700. One per
/// scoring thread (pooled with the rest of <see cref="FeatureScratch"/>), so nothing is allocated per message.
/// </summary>
internal sealed class SparseAccumulator(int length)
{
    private readonly float[] _dense = new float[length];
    private int[] _touched = new int[1024];
    private int _count;

    public int Length => _dense.Length;

    /// <summary>Slots touched since the last <see cref="Clear"/>, in the order first touched.</summary>
    public int Count => _count;

    /// <summary>Adds a positive <paramref name="value"/> (a count), so a touched slot never goes back to zero.</summary>
    public void Add(int slot, float value)
    {
        ref var cell = ref _dense[slot];
        if (cell == 0)
        {
            if (_count == _touched.Length)
            {
                Array.Resize(ref _touched, _touched.Length * 2);
            }

            _touched[_count++] = slot;
        }

        cell += value;
    }

    /// <summary>Touched slots from index <paramref name="first"/> on, with their values.</summary>
    public ReadOnlySpan<int> Slots(int first) => _touched.AsSpan(first, _count - first);

    public float this[int slot] => _dense[slot];

    /// <summary>Zeroes the touched slots, ready for the next message.</summary>
    public void Clear()
    {
        foreach (var slot in _touched.AsSpan(0, _count))
        {
            _dense[slot] = 0;
        }

        _count = 0;
    }
}
