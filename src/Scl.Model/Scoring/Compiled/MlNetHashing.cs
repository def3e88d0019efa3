using System.Numerics;
using System.Runtime.CompilerServices;

namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// The MurmurHash3 (32-bit) arithmetic of ML.NET's hashing transforms (<c>Microsoft.ML.Core/Utilities/Hashing.cs</c>):
/// words (<see cref="Word"/>) for the word hashing, key sequences (<see cref="Keys"/>) for the n-gram hashing.
/// <see cref="TextFeaturizerCompiler"/> checks the results against ML.NET itself when a model is loaded.
/// </summary>
internal static class MlNetHashing
{
    /// <summary>One MurmurHash3 round: mixes a 32-bit chunk into <paramref name="hash"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Round(uint hash, uint chunk)
    {
        chunk *= 0xCC9E2D51;
        chunk = BitOperations.RotateLeft(chunk, 15);
        chunk *= 0x1B873593;
        hash ^= chunk;
        hash = BitOperations.RotateLeft(hash, 13);
        return hash * 5 + 0xE6546B64;
    }

    /// <summary>MurmurHash3's final avalanche.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Mix(uint hash)
    {
        hash ^= hash >> 16;
        hash *= 0x85EBCA6B;
        hash ^= hash >> 13;
        hash *= 0xC2B2AE35;
        hash ^= hash >> 16;
        return hash;
    }

    /// <summary>
    /// The hash of a word as ML.NET's hashing transform computes it (<c>Hashing.MurmurHashV2</c>, used by models saved
    /// since ML.NET 1.5): the word's UTF-16 code units as pseudo UTF-8 bytes gathered into a 64-bit buffer, a MurmurHash3
    /// round per full 4 bytes, the last 1 to 3 bytes mixed in without the round's rotate-and-add, then the byte count
    /// and the final mix. Mirrored exactly, including one quirk: after a 2- or 3-byte code unit is added, ML.NET
    /// reorders the lowest 2 or 3 bytes of the whole buffer (meant to put that unit's bytes in UTF-8 order, it also moves
    /// bytes of the units before it), so a word is not hashed over its true UTF-8 bytes once it has non-ASCII letters
    /// after other letters.
    /// </summary>
    public static uint Word(uint seed, ReadOnlySpan<char> word)
    {
        var hash = seed;
        ulong pending = 0; // bytes not yet hashed, lowest first
        var pendingBits = 0;
        var byteCount = 0;
        foreach (uint c in word)
        {
            if (c < 0x80)
            {
                pending |= (ulong)c << pendingBits;
                pendingBits += 8;
            }
            else if (c < 0x800)
            {
                // Continuation byte low, lead byte high; then the two lowest bytes of the buffer are swapped.
                pending |= (ulong)((0x80u | (c & 0x3F)) | ((0xC0u | (c >> 6)) << 8)) << pendingBits;
                pending = ((pending & 0xFF) << 8) | (pending >> 8);
                pendingBits += 16;
            }
            else
            {
                // Last continuation byte low, lead byte high; then the three lowest bytes of the buffer are reversed.
                pending |= (ulong)((0x80u | (c & 0x3F)) | ((0x80u | ((c >> 6) & 0x3F)) << 8) | ((0xE0u | (c >> 12)) << 16)) << pendingBits;
                pending = ((pending & 0xFF) << 16) | (((pending >> 8) & 0xFF) << 8) | (pending >> 16);
                pendingBits += 24;
            }

            if (pendingBits >= 32)
            {
                hash = Round(hash, (uint)pending);
                pending >>= 32;
                pendingBits -= 32;
                byteCount += 4;
            }
        }

        byteCount += pendingBits / 8;
        var tailBytes = byteCount & 3;
        if (tailBytes > 0)
        {
            var tail = (uint)(pending & (tailBytes == 3 ? 0xFFFFFFu : tailBytes == 2 ? 0xFFFFu : 0xFFu));
            tail *= 0xCC9E2D51;
            tail = BitOperations.RotateLeft(tail, 15);
            tail *= 0x1B873593;
            hash ^= tail;
        }

        return Mix(hash ^ (uint)byteCount);
    }

    /// <summary>The hash of a sequence of keys (an n-gram): one round per key, then the count, the final mix.</summary>
    public static uint Keys(uint seed, ReadOnlySpan<uint> keys)
    {
        var hash = seed;
        foreach (var key in keys)
        {
            hash = Round(hash, key);
        }

        return Mix(Round(hash, (uint)keys.Length));
    }
}
