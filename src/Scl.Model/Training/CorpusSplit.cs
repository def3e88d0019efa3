using System.Text;

namespace MailGateway.Scl.Model.Training;

/// <summary>
/// The stable splits of ../shared/corpus. A file's side is decided by an FNV-1a hash of its file name (not its path
/// or contents), so the split is the same on every machine and survives the corpus being moved.
/// SpamAssassin: bucket &lt; 20 of 100 is validation (≈20%). Modern sets: bucket &lt; 50 is the evaluation half.
/// trec07p: all training (the corpus's own first half already; cross-validation makes the folds).
/// </summary>
public sealed class CorpusSplit
{
    /// <summary>Percent of the SpamAssassin corpus kept out of training as the validation split.</summary>
    public const int SpamAssassinValidationPercent = 20;

    /// <summary>Percent of each modern set kept out of training for evaluation only.</summary>
    public const int ModernEvaluationPercent = 50;

    private static readonly (string Dir, bool IsSpam)[] ModernSets =
    [
        ("modern/csdmc2010/spam", true),
        ("modern/csdmc2010/ham", false),
        ("modern/phishing-pot/spam", true),
        ("modern/usrp-users-lore/ham", false),
    ];

    public required IReadOnlyList<LabeledFile> SpamAssassinTraining { get; init; }

    public required IReadOnlyList<LabeledFile> SpamAssassinValidation { get; init; }

    public required IReadOnlyList<LabeledFile> ModernTraining { get; init; }

    public required IReadOnlyList<LabeledFile> ModernEvaluation { get; init; }

    /// <summary>trec07p (a university server's incoming mail of 2007, many kinds of ham): all of it trains.</summary>
    public IReadOnlyList<LabeledFile> Trec07pTraining { get; init; } = [];

    /// <summary>Everything the shipped model is trained on.</summary>
    public IReadOnlyList<LabeledFile> Training => SpamAssassinTraining.Concat(ModernTraining).Concat(Trec07pTraining).ToList();

    /// <summary>Reads the corpus folder (the one holding spamassassin/ and modern/) and splits it.</summary>
    public static CorpusSplit Load(string corpusRoot)
    {
        var saTrain = new List<LabeledFile>();
        var saValidation = new List<LabeledFile>();
        foreach (var (dir, isSpam) in new[] { ("spamassassin/spam", true), ("spamassassin/ham", false) })
        {
            foreach (var path in EnumerateMessages(Path.Combine(corpusRoot, dir)))
            {
                var file = new LabeledFile(path, isSpam, "spamassassin");
                (Bucket(path) < SpamAssassinValidationPercent ? saValidation : saTrain).Add(file);
            }
        }

        var modernTrain = new List<LabeledFile>();
        var modernEval = new List<LabeledFile>();
        foreach (var (dir, isSpam) in ModernSets)
        {
            var set = dir.Split('/')[1];
            foreach (var path in EnumerateMessages(Path.Combine(corpusRoot, dir)))
            {
                var file = new LabeledFile(path, isSpam, set);
                (Bucket(path) < ModernEvaluationPercent ? modernEval : modernTrain).Add(file);
            }
        }

        var trec = new[] { ("trec07p/spam", true), ("trec07p/ham", false) }
            .SelectMany(d => EnumerateMessages(Path.Combine(corpusRoot, d.Item1)).Select(p => new LabeledFile(p, d.Item2, "trec07p")))
            .ToList();

        if (saTrain.Count + modernTrain.Count + trec.Count == 0)
        {
            throw new DirectoryNotFoundException($"no corpus messages under {corpusRoot} (expected spamassassin/, modern/, trec07p/)");
        }

        return new CorpusSplit
        {
            SpamAssassinTraining = saTrain,
            SpamAssassinValidation = saValidation,
            ModernTraining = modernTrain,
            ModernEvaluation = modernEval,
            Trec07pTraining = trec,
        };
    }

    /// <summary>0..99 from the FNV-1a 64-bit hash of the file name.</summary>
    public static int Bucket(string path) => Bucket(Path.GetFileName(path), 100);

    /// <summary>
    /// 0..<paramref name="buckets"/>-1 from the FNV-1a hash of "seed:file name": another seed, another stable
    /// assignment (the folds of each repeat of <c>mailgw eval --cv</c>).
    /// </summary>
    public static int Bucket(string path, int seed, int buckets) => Bucket($"{seed}:{Path.GetFileName(path)}", buckets);

    /// <summary>
    /// 0 or 1 from the hash of "seed:file name", mixed by MurmurHash3's 64-bit finaliser first: FNV-1a's lowest bit is
    /// only the parity of the key's bytes, so <c>Bucket(path, seed, 2)</c> gives every seed the same two halves (42 and
    /// 43 merely swap them). The halves of <c>mailgw eval --loso</c>'s repeats.
    /// </summary>
    public static int Half(string path, int seed)
    {
        var hash = Fnv1a($"{seed}:{Path.GetFileName(path)}");
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return (int)(hash & 1);
    }

    private static int Bucket(string key, int buckets) => (int)(Fnv1a(key) % (ulong)buckets);

    private static ulong Fnv1a(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }

        return hash;
    }

    /// <summary>Every file under <paramref name="root"/> at any depth (or the file itself), in ordinal order; dot-files skipped.</summary>
    public static IEnumerable<string> EnumerateMessages(string root)
    {
        if (File.Exists(root))
        {
            return [root];
        }

        if (!Directory.Exists(root))
        {
            return [];
        }

        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(p => !Path.GetFileName(p).StartsWith('.'))
            .OrderBy(p => p, StringComparer.Ordinal);
    }
}
