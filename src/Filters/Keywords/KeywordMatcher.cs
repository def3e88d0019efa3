using System.Buffers;
using System.Numerics;
using System.Text;

namespace MailGateway.Filters.Keywords;

/// <summary>
/// Finds listed phrases in a text in one pass (Aho-Corasick over the normalised text, see <see cref="KeywordText"/>),
/// so the cost per message does not grow with the number of phrases. A phrase matches case-insensitively as whole
/// words: "free money" matches "Get FREE  money now" but not "freemoney" or "carefree money". Immutable and
/// thread-safe; a reload builds a new one.
/// </summary>
public sealed class KeywordMatcher
{
    /// <summary>Longest phrase accepted, in characters after normalisation (Exchange's custom words allow 256 too).</summary>
    public const int MaxPhraseLength = 256;

    private const int Root = 0;

    // ASCII word characters: inside a word no phrase can begin (a phrase that begins with a word character needs a
    // boundary before it, and one that begins with another character cannot begin with these).
    private static readonly SearchValues<char> AsciiWordCharacters = SearchValues.Create(
        Enumerable.Range(0, 128).Select(c => (char)c)
            .Where(c => KeywordText.ClassifyAscii(c) == KeywordText.RuneClass.Word).ToArray());

    // The trie in compressed form: node n's edges are edgeChars/edgeTargets[edgeStart[n]..edgeStart[n + 1]), sorted
    // by character; the root's edges are also a dense table, since most characters of a text are read at the root.
    private readonly int[] _rootTable;
    private readonly int[] _edgeStart;
    private readonly char[] _edgeChars;
    private readonly int[] _edgeTargets;
    private readonly int[] _failure;
    private readonly int[] _dictionaryLink;
    private readonly int[] _nodeEntry;
    private readonly Entry[] _entries;
    private readonly int _ringSize;

    /// <summary>
    /// Builds the matcher. Phrases are normalised (case, white space); duplicates are merged, and a phrase on both
    /// lists counts as good.
    /// </summary>
    /// <exception cref="ArgumentException">A phrase is empty after normalisation or longer than <see cref="MaxPhraseLength"/>; the message names it as <c>good[i]</c> or <c>bad[i]</c>.</exception>
    public KeywordMatcher(IEnumerable<string> good, IEnumerable<string> bad)
        : this(good, bad?.Select(phrase => new BadPhrase(phrase, 0))!)
    {
    }

    /// <summary>
    /// Builds the matcher with bad phrases that may add to the SCL instead of forcing 9
    /// (<see cref="BadPhrase.SclAdd"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A phrase is empty after normalisation or longer than <see cref="MaxPhraseLength"/>, or an addition is outside 1..9; the message names it as <c>good[i]</c> or <c>bad[i]</c>.</exception>
    public KeywordMatcher(IEnumerable<string> good, IEnumerable<BadPhrase> bad)
    {
        ArgumentNullException.ThrowIfNull(good);
        ArgumentNullException.ThrowIfNull(bad);

        var byNormalized = new Dictionary<string, Entry>(StringComparer.Ordinal);
        GoodCount = Add(byNormalized, good.Select(phrase => new BadPhrase(phrase, 0)), KeywordKind.Good, "good");
        BadCount = Add(byNormalized, bad, KeywordKind.Bad, "bad");

        var sorted = byNormalized.Keys.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);

        // Inserting in ordinal order means each node's children are created in ascending character order, so the
        // compressed edge arrays come out sorted without a per-node collection.
        var parent = new List<int> { -1 };
        var label = new List<char> { '\0' };
        var depth = new List<int> { 0 };
        var terminal = new List<int> { -1 };
        var entryList = new List<Entry>(sorted.Length);
        var path = new List<int> { Root };
        var previous = string.Empty;
        foreach (var phrase in sorted)
        {
            var common = CommonPrefixLength(previous, phrase);
            path.RemoveRange(common + 1, path.Count - common - 1);
            for (var i = common; i < phrase.Length; i++)
            {
                parent.Add(path[^1]);
                label.Add(phrase[i]);
                depth.Add(i + 1);
                terminal.Add(-1);
                path.Add(parent.Count - 1);
            }

            terminal[path[^1]] = entryList.Count;
            entryList.Add(byNormalized[phrase]);
            previous = phrase;
        }

        var nodeCount = parent.Count;
        _edgeStart = new int[nodeCount + 1];
        for (var n = 1; n < nodeCount; n++)
        {
            _edgeStart[parent[n] + 1]++;
        }

        for (var n = 0; n < nodeCount; n++)
        {
            _edgeStart[n + 1] += _edgeStart[n];
        }

        _edgeChars = new char[nodeCount - 1];
        _edgeTargets = new int[nodeCount - 1];
        _rootTable = new int[char.MaxValue + 1];
        var fill = _edgeStart[..^1].ToArray();
        for (var n = 1; n < nodeCount; n++)
        {
            var slot = fill[parent[n]]++;
            _edgeChars[slot] = label[n];
            _edgeTargets[slot] = n;
            if (parent[n] == Root)
            {
                _rootTable[label[n]] = n;
            }
        }

        _nodeEntry = terminal.ToArray();
        _entries = entryList.ToArray();
        _failure = new int[nodeCount];
        _dictionaryLink = new int[nodeCount];
        _dictionaryLink[Root] = -1;

        // Breadth first, so a node's failure target (shallower) is complete before the node.
        var queue = new Queue<int>();
        queue.Enqueue(Root);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            for (var e = _edgeStart[node]; e < _edgeStart[node + 1]; e++)
            {
                var child = _edgeTargets[e];
                var fail = Root;
                if (node != Root)
                {
                    fail = Step(_failure[node], _edgeChars[e]);
                }

                _failure[child] = fail;
                _dictionaryLink[child] = _nodeEntry[fail] >= 0 ? fail : _dictionaryLink[fail];
                queue.Enqueue(child);
            }
        }

        var longest = _entries.Length == 0 ? 1 : _entries.Max(entry => entry.Length);
        _ringSize = (int)BitOperations.RoundUpToPowerOf2((uint)longest + 1);
    }

    /// <summary>A matcher with no phrases: nothing matches.</summary>
    public static KeywordMatcher Empty { get; } = new([], Array.Empty<string>());

    /// <summary>Distinct good phrases (after normalisation).</summary>
    public int GoodCount { get; }

    /// <summary>Distinct bad phrases (after normalisation).</summary>
    public int BadCount { get; }

    /// <summary>
    /// The message's verdict: the first good phrase in the subject or the body if there is one (good wins, as with
    /// Exchange's custom words: a bad phrase is ignored when the message also has a good one), otherwise the first bad
    /// phrase that forces SCL 9, otherwise the additive bad phrase that adds the most (the first of equals: additions
    /// do not stack), otherwise null. Subject and body are separate texts: no phrase spans from one into the other.
    /// </summary>
    public KeywordMatch? Evaluate(string? subject, string? body)
    {
        var inSubject = Scan(subject, Mode.Evaluate, null, KeywordMatchPart.Subject);
        if (inSubject?.Kind == KeywordKind.Good)
        {
            return inSubject;
        }

        var inBody = Scan(body, Mode.Evaluate, null, KeywordMatchPart.Body);
        return inBody?.Kind == KeywordKind.Good ? inBody
            : inSubject is null ? inBody
            : inBody is not null && inBody.IsStrongerBadThan(inSubject) ? inBody : inSubject;
    }

    /// <summary>The verdict for one text, by the precedence of <see cref="Evaluate(string?, string?)"/>.</summary>
    public KeywordMatch? Evaluate(ReadOnlySpan<char> text) => Scan(text, Mode.Evaluate, null, KeywordMatchPart.Text);

    /// <summary>
    /// The first occurrence of any phrase, good or bad, by where it ends (the longer one when two end together).
    /// </summary>
    public KeywordMatch? FindFirst(ReadOnlySpan<char> text) => Scan(text, Mode.First, null, KeywordMatchPart.Text);

    /// <summary>Every occurrence, overlapping ones included, ordered by where they end.</summary>
    public IReadOnlyList<KeywordMatch> FindAll(ReadOnlySpan<char> text)
    {
        var all = new List<KeywordMatch>();
        Scan(text, Mode.All, all, KeywordMatchPart.Text);
        return all;
    }

    private static int Add(Dictionary<string, Entry> byNormalized, IEnumerable<BadPhrase> phrases, KeywordKind kind, string listName)
    {
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var (phrase, sclAdd) in phrases)
        {
            if (phrase is null)
            {
                throw new ArgumentException($"{listName}[{index}] is null.", nameof(phrases));
            }

            if (sclAdd is < 0 or > 9)
            {
                throw new ArgumentException(
                    $"{listName}[{index}] adds {sclAdd} to the SCL; an addition is 1 to 9 (0: force SCL 9).", nameof(phrases));
            }

            var (normalized, startsWithWord, endsWithWord) = KeywordText.NormalizePhrase(phrase);
            if (normalized.Length == 0)
            {
                throw new ArgumentException($"{listName}[{index}] is empty.", nameof(phrases));
            }

            if (normalized.Length > MaxPhraseLength)
            {
                throw new ArgumentException(
                    $"{listName}[{index}] is {normalized.Length} characters long; the limit is {MaxPhraseLength}.", nameof(phrases));
            }

            distinct.Add(normalized);
            if (!byNormalized.TryGetValue(normalized, out var existing) || (existing.Kind == KeywordKind.Bad && kind == KeywordKind.Good))
            {
                byNormalized[normalized] = new Entry(kind, phrase, normalized.Length, startsWithWord, endsWithWord, sclAdd);
            }

            index++;
        }

        return distinct.Count;
    }

    private static int CommonPrefixLength(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        var i = 0;
        while (i < length && a[i] == b[i])
        {
            i++;
        }

        return i;
    }

    private int Step(int node, char c)
    {
        while (true)
        {
            if (node == Root)
            {
                return _rootTable[c];
            }

            var start = _edgeStart[node];
            var edges = _edgeChars.AsSpan(start, _edgeStart[node + 1] - start);

            // Most nodes below the first levels have one or two children, where a vectorised scan beats bisection.
            var found = edges.Length <= 16 ? edges.IndexOf(c) : edges.BinarySearch(c);
            if (found >= 0)
            {
                return _edgeTargets[start + found];
            }

            node = _failure[node];
        }
    }

    private KeywordMatch? Scan(ReadOnlySpan<char> text, Mode mode, List<KeywordMatch>? all, KeywordMatchPart part)
    {
        if (_entries.Length == 0 || text.IsEmpty)
        {
            return null;
        }

        // For the normalised characters of the last phrase-length positions: where each began in the text, and whether
        // it was a word character (the left boundary of a match is the character before it).
        var mask = _ringSize - 1;
        Span<int> ringIndex = _ringSize <= 1024 ? stackalloc int[_ringSize] : new int[_ringSize];
        Span<bool> ringWord = _ringSize <= 1024 ? stackalloc bool[_ringSize] : new bool[_ringSize];
        Span<char> lowered = stackalloc char[2];

        var state = Root;
        var emitted = 0;
        var lastWasSpace = false;
        var lastWasWord = false;
        var pending = false;
        var pendingEnd = 0;
        KeywordMatch? firstBad = null;
        var i = 0;
        while (i < text.Length)
        {
            if (state == Root && lastWasWord && !pending)
            {
                // At the root inside a word: no match can begin before the word ends (fed to the automaton, these
                // characters could only lead to matches that begin inside the word, which the boundary rule refuses),
                // and the automaton at the root finds every match that begins after them. So skip them (vectorised).
                // The last character fed stays the left context of whatever comes next, and it is a word character,
                // as the skipped ones were.
                var run = text[i..].IndexOfAnyExcept(AsciiWordCharacters);
                if (run < 0)
                {
                    break;
                }

                i += run;
            }

            var c = text[i];
            int consumed;
            int written;
            KeywordText.RuneClass cls;
            if (c < 128)
            {
                consumed = 1;
                cls = KeywordText.ClassifyAscii(c);
                lowered[0] = char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
                written = 1;
            }
            else if (Rune.DecodeFromUtf16(text[i..], out var rune, out consumed) == System.Buffers.OperationStatus.Done)
            {
                cls = KeywordText.Classify(rune);
                written = Rune.ToLowerInvariant(rune).EncodeToUtf16(lowered);
            }
            else
            {
                cls = KeywordText.RuneClass.Other;
                lowered[0] = c;
                written = 1;
            }

            if (cls == KeywordText.RuneClass.Ignored || (cls == KeywordText.RuneClass.Space && lastWasSpace))
            {
                i += consumed;
                continue;
            }

            if (cls == KeywordText.RuneClass.Space)
            {
                lowered[0] = ' ';
                written = 1;
            }

            var isWord = cls == KeywordText.RuneClass.Word;
            if (pending)
            {
                // Matches ending at the previous rune are only now known to end at a word boundary or not.
                pending = false;
                var found = Report(state, emitted, pendingEnd, isWord, ringIndex, ringWord, mask, mode, all, part, ref firstBad);
                if (found is not null)
                {
                    return found;
                }
            }

            for (var k = 0; k < written; k++)
            {
                ringIndex[emitted & mask] = i;
                ringWord[emitted & mask] = isWord;
                emitted++;
                state = Step(state, lowered[k]);
            }

            i += consumed;
            lastWasSpace = cls == KeywordText.RuneClass.Space;
            lastWasWord = isWord;
            if (_nodeEntry[state] >= 0 || _dictionaryLink[state] >= 0)
            {
                pending = true;
                pendingEnd = i;
            }
        }

        if (pending)
        {
            var found = Report(state, emitted, pendingEnd, false, ringIndex, ringWord, mask, mode, all, part, ref firstBad);
            if (found is not null)
            {
                return found;
            }
        }

        return firstBad;
    }

    private KeywordMatch? Report(
        int state,
        int emitted,
        int end,
        bool nextIsWord,
        ReadOnlySpan<int> ringIndex,
        ReadOnlySpan<bool> ringWord,
        int mask,
        Mode mode,
        List<KeywordMatch>? all,
        KeywordMatchPart part,
        ref KeywordMatch? firstBad)
    {
        for (var node = _nodeEntry[state] >= 0 ? state : _dictionaryLink[state]; node >= 0; node = _dictionaryLink[node])
        {
            var entry = _entries[_nodeEntry[node]];
            if (entry.EndsWithWord && nextIsWord)
            {
                continue;
            }

            var start = emitted - entry.Length;
            if (entry.StartsWithWord && start > 0 && ringWord[(start - 1) & mask])
            {
                continue;
            }

            var index = ringIndex[start & mask];
            var match = new KeywordMatch(entry.Kind, entry.Phrase, part, index, end - index, entry.SclAdd);
            switch (mode)
            {
                case Mode.First:
                    return match;
                case Mode.Evaluate when entry.Kind == KeywordKind.Good:
                    return match;
                case Mode.Evaluate:
                    firstBad = firstBad is null || match.IsStrongerBadThan(firstBad) ? match : firstBad;
                    break;
                default:
                    all!.Add(match);
                    break;
            }
        }

        return null;
    }

    private enum Mode
    {
        First,
        Evaluate,
        All,
    }

    private readonly record struct Entry(KeywordKind Kind, string Phrase, int Length, bool StartsWithWord, bool EndsWithWord, int SclAdd);
}
