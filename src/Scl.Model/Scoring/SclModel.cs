using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using MailGateway.Scl.Model.Features;
using MailGateway.Scl.Model.Input;
using MailGateway.Scl.Model.Scoring.Compiled;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MailGateway.Scl.Model.Scoring;

/// <summary>
/// A loaded model file: the ML.NET featurizer and member learners, how their margins are combined, the calibration
/// and the SCL mapping. Thread-safe: ML.NET's PredictionEngine is not, so each call rents one from a pool.
/// </summary>
/// <remarks>
/// The file is a zip: <c>scl.json</c> (<see cref="SclModelInfo"/>), the featurizer <c>mlnet-features.zip</c> and one
/// ML.NET predictor per member learner, <c>mlnet-0.zip</c>, <c>mlnet-1.zip</c> ... reading the featurizer's output.
/// A message is featurised once however many members there are; the margin is the weighted sum of the members'
/// (<see cref="SclModelInfo.MemberWeights"/>). One file, so a hot swap replaces model and mapping together.
/// </remarks>
public sealed partial class SclModel
{
    /// <summary>The file name the gateway looks for next to its binaries when <c>Scl:ModelPath</c> is not set.</summary>
    public const string DefaultFileName = "scl-model.zip";

    private const string MlNetEntryPrefix = "mlnet-";
    private const string FeaturizerEntry = "mlnet-features.zip";
    private const string InfoEntry = "scl.json";
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private readonly MLContext _ml;
    private readonly ITransformer _featurizer;
    private readonly ITransformer[] _members;
    private readonly double[] _weights;
    private readonly ITransformer _scoringChain;
    private readonly ICompiledMember?[] _compiled;
    private readonly CompiledTextFeaturizer? _compiledFeaturizer;
    private readonly int _scratchLength;
    private readonly ILogger _logger;
    private readonly ConcurrentBag<ScoringSlot> _slots = new();
    private readonly ConcurrentBag<CompiledSlot> _compiledSlots = new();

    // perturbCompiledFeatures is a test seam: it edits every vector the compiled featurizer makes, so a test can prove
    // that the load-time check refuses a featurizer that differs from ML.NET's.
    internal SclModel(MLContext ml, ITransformer featurizer, ITransformer[] members, SclModelInfo info, string id,
        ILogger? logger = null, Action<FeatureScratch>? perturbCompiledFeatures = null)
    {
        if (members.Length is < 1 or > MemberScores.MaxMembers || info.MemberWeights.Length != members.Length)
        {
            throw new InvalidDataException($"{members.Length} member learners with {info.MemberWeights.Length} weights");
        }

        _ml = ml;
        _featurizer = featurizer;
        _members = members;
        _weights = info.MemberWeights;
        _logger = logger ?? NullLogger.Instance;
        var checkRows = ModelCheckRows.Create();
        var compiled = members.Select(m => (ICompiledMember?)TreeMemberCompiler.TryCompile(ml, featurizer, m, checkRows)
            ?? LinearMemberCompiler.TryCompile(ml, featurizer, m, checkRows)).ToArray();
        if (compiled.Any(c => c is not null) && !ScoringPathAgrees(ml, featurizer, members, info.MemberWeights, compiled, checkRows))
        {
            compiled = new ICompiledMember?[members.Length];
        }

        _compiled = compiled;
        _scratchLength = _compiled.Max(c => c?.ScratchLength ?? 0);
        _compiledFeaturizer = CompileFeaturizer(ml, featurizer, members, info.MemberWeights, compiled, checkRows, id, _logger, perturbCompiledFeatures);
        _scoringChain = ScoringChain(ml, featurizer, members, _compiled);
        Info = info;
        Id = id;
        Mapping = new SclMapping(info.CutPoints);
        Calibration = new PlattCalibration(info.CalibrationA, info.CalibrationB);
    }

    /// <summary>Short content hash of the file (or "unsaved"), used in logs and trace notes to tell models apart.</summary>
    public string Id { get; }

    public SclModelInfo Info { get; }

    public SclMapping Mapping { get; }

    public PlattCalibration Calibration { get; }

    /// <summary>Members scored outside ML.NET (<see cref="CompiledTreeEnsemble"/>, <see cref="CompiledLinearModel"/>; checked at load).</summary>
    internal int CompiledMemberCount => _compiled.Count(c => c is not null);

    /// <summary>Whether messages are featurised by <see cref="CompiledTextFeaturizer"/> (checked at load) rather than ML.NET.</summary>
    internal bool FeaturizerCompiled => _compiledFeaturizer is not null;

    /// <summary>The compiled featurizer in use, or null when ML.NET featurises (for tests).</summary>
    internal CompiledTextFeaturizer? CompiledFeaturizer => _compiledFeaturizer;

    /// <summary>The default model path: <see cref="DefaultFileName"/> in <c>Model/</c> beside the application.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Model", DefaultFileName);

    /// <summary>Loads a model file; throws <see cref="InvalidDataException"/> when the file is not one.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="logger">Where the load-time checks report which parts are computed outside ML.NET.</param>
    public static SclModel Load(string path, ILogger? logger = null)
    {
        var bytes = File.ReadAllBytes(path);
        return Load(bytes, logger);
    }

    /// <summary>Loads a model from its file bytes.</summary>
    public static SclModel Load(byte[] bytes, ILogger? logger = null) => Load(bytes, logger, null);

    /// <summary>Loads a model from its file bytes, with the compiled featurizer's test seam.</summary>
    internal static SclModel Load(byte[] bytes, ILogger? logger, Action<FeatureScratch>? perturbCompiledFeatures)
    {
        var id = Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            var infoEntry = zip.GetEntry(InfoEntry) ?? throw new InvalidDataException($"no {InfoEntry} in model file");
            SclModelInfo info;
            using (var s = infoEntry.Open())
            {
                info = JsonSerializer.Deserialize<SclModelInfo>(s) ?? throw new InvalidDataException("empty model info");
            }

            if (info.FormatVersion != SclModelInfo.CurrentFormatVersion)
            {
                throw new InvalidDataException($"model format {info.FormatVersion}, this build reads {SclModelInfo.CurrentFormatVersion}");
            }

            var ml = new MLContext(seed: info.Seed);
            var featurizer = LoadTransformer(ml, zip.GetEntry(FeaturizerEntry) ?? throw new InvalidDataException($"no {FeaturizerEntry} in model file"));
            var members = new List<ITransformer>();
            for (var i = 0; zip.GetEntry($"{MlNetEntryPrefix}{i}.zip") is { } entry; i++)
            {
                members.Add(LoadTransformer(ml, entry));
            }

            if (members.Count == 0)
            {
                throw new InvalidDataException($"no {MlNetEntryPrefix}0.zip in model file");
            }

            return new SclModel(ml, featurizer, members.ToArray(), info, id, logger, perturbCompiledFeatures);
        }
        catch (Exception ex) when (ex is not InvalidDataException)
        {
            throw new InvalidDataException($"not an SCL model file: {ex.Message}", ex);
        }
    }

    /// <summary>Writes the model file (written to a temporary name and moved, so a watcher never sees half a file).</summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        using (var file = File.Create(temp))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            var infoEntry = zip.CreateEntry(InfoEntry, CompressionLevel.Optimal);
            using (var s = infoEntry.Open())
            {
                JsonSerializer.Serialize(s, Info, JsonOptions);
            }

            // ML.NET's own files are already compressed.
            SaveTransformer(zip, FeaturizerEntry, _featurizer);
            for (var i = 0; i < _members.Length; i++)
            {
                SaveTransformer(zip, $"{MlNetEntryPrefix}{i}.zip", _members[i]);
            }
        }

        File.Move(temp, full, overwrite: true);
    }

    /// <summary>The same fitted learners with another calibration and mapping.</summary>
    internal SclModel WithCalibration(PlattCalibration calibration, SclMapping mapping, SclMeaning meaning) =>
        new(_ml, _featurizer, _members, Info with
        {
            CalibrationA = calibration.A,
            CalibrationB = calibration.B,
            CutPoints = mapping.CutPoints.ToArray(),
            OutOfFoldHamAtOrAbove = meaning.Ham,
            OutOfFoldSpamAtOrAbove = meaning.Spam,
        }, "unsaved", _logger);

    /// <summary>The combined margin for a message (higher = more spam-like).</summary>
    internal double Margin(MessageFeatures features)
    {
        var input = ModelInput.From(features);
        if (_compiledFeaturizer is { } featurizer)
        {
            if (!_compiledSlots.TryTake(out var compiledSlot))
            {
                compiledSlot = new CompiledSlot(featurizer.CreateScratch(), new float[_scratchLength]);
            }

            try
            {
                return CompiledMarginOf(featurizer, compiledSlot, input, _weights, _compiled!);
            }
            finally
            {
                _compiledSlots.Add(compiledSlot);
            }
        }

        if (!_slots.TryTake(out var slot))
        {
            slot = new ScoringSlot(_ml.Model.CreatePredictionEngine<ModelInput, MemberScores>(_scoringChain, ignoreMissingColumns: true),
                new float[_scratchLength]);
        }

        try
        {
            return MarginOf(slot, input, _weights, _compiled);
        }
        finally
        {
            _slots.Add(slot);
        }
    }

    /// <summary>
    /// Why <paramref name="features"/> get their score: the margin of the linear member(s) split exactly by feature
    /// (<see cref="LinearContributions"/>), named in words, with the score itself. Null when there is nothing exact to
    /// say: the model is featurised by ML.NET (not compiled) or has no linear member. A tree member's margin is not
    /// split (<see cref="SclExplanation.UnexplainedMargin"/>). Costs more than a score; not on the scoring path.
    /// </summary>
    public SclExplanation? Explain(MessageFeatures features)
    {
        var linear = new List<(double Weight, CompiledLinearModel Model)>();
        for (var k = 0; k < _compiled.Length; k++)
        {
            if (_compiled[k] is CompiledLinearModel model)
            {
                linear.Add((_weights[k], model));
            }
        }

        if (_compiledFeaturizer is not { } featurizer || linear.Count == 0)
        {
            return null;
        }

        var input = ModelInput.From(features);
        if (!_compiledSlots.TryTake(out var slot))
        {
            slot = new CompiledSlot(featurizer.CreateScratch(), new float[_scratchLength]);
        }

        try
        {
            featurizer.Featurize(input, slot.Features);
            var shares = LinearContributions.Of(featurizer, slot.Features, linear, input, features);
            double margin = 0, unexplained = 0;
            for (var k = 0; k < _weights.Length; k++)
            {
                var part = _weights[k] * _compiled[k]!.Margin(slot.Features.Indices, slot.Features.Values, slot.Scratch);
                margin += part;
                unexplained += _compiled[k] is CompiledLinearModel ? 0 : part;
            }

            var logOdds = Calibration.LogOdds(margin);
            return new SclExplanation
            {
                ModelId = Id,
                Margin = margin,
                LogOdds = logOdds,
                Probability = Calibration.Probability(margin),
                Scl = Mapping.ToScl(logOdds),
                Bias = linear.Sum(l => l.Weight * l.Model.Bias),
                UnexplainedMargin = unexplained,
                UnexplainedLogOdds = Calibration.A * unexplained,
                LinearPartOnly = linear.Count < _compiled.Length,
                Reasons = shares
                    .Where(s => s.Value.Margin != 0)
                    .Select(s => new SclReason(s.Key, s.Value.Margin, Calibration.A * s.Value.Margin, TopTokens(s.Value)))
                    .OrderByDescending(r => r.Margin)
                    .ToList(),
            };
        }
        finally
        {
            _compiledSlots.Add(slot);
        }
    }

    // The three tokens that moved the margin most the way their reason did.
    private static IReadOnlyList<string> TopTokens(LinearContributions.Share share)
    {
        var sign = Math.Sign(share.Margin);
        return share.Tokens.Where(t => Math.Sign(t.Value) == sign && sign != 0)
            .OrderByDescending(t => Math.Abs(t.Value)).ThenBy(t => t.Key, StringComparer.Ordinal)
            .Take(3).Select(t => t.Key).ToList();
    }

    // Every member compiled and the featurizer too: no ML.NET per message.
    private static double CompiledMarginOf(CompiledTextFeaturizer featurizer, CompiledSlot slot, ModelInput input, double[] weights,
        ICompiledMember?[] members)
    {
        featurizer.Featurize(input, slot.Features);
        var indices = slot.Features.Indices;
        var values = slot.Features.Values;
        double margin = 0;
        for (var k = 0; k < weights.Length; k++)
        {
            margin += weights[k] * members[k]!.Margin(indices, values, slot.Scratch);
        }

        return margin;
    }

    private static double MarginOf(ScoringSlot slot, ModelInput input, double[] weights, ICompiledMember?[] compiled)
    {
        slot.Engine.Predict(input, ref slot.Output);
        double margin = 0;
        for (var k = 0; k < weights.Length; k++)
        {
            var memberMargin = compiled[k] is { } member ? member.Margin(slot.Output.Features, slot.Scratch) : slot.Output.Of(k);
            margin += weights[k] * memberMargin;
        }

        return margin;
    }

    /// <summary>
    /// The whole per-message path (prediction engine, Features column, compiled members) gives ML.NET's combined margin
    /// on the check rows; the compiled members were checked alone, this checks how the engine hands them their input.
    /// </summary>
    private static bool ScoringPathAgrees(MLContext ml, ITransformer featurizer, ITransformer[] members, double[] weights,
        ICompiledMember?[] compiled, IReadOnlyList<ModelInput> checkRows)
    {
        var chain = ScoringChain(ml, featurizer, members, compiled);
        var slot = new ScoringSlot(ml.Model.CreatePredictionEngine<ModelInput, MemberScores>(chain, ignoreMissingColumns: true),
            new float[compiled.Max(c => c?.ScratchLength ?? 0)]);
        var expected = Combine(weights, MemberMargins(ml, featurizer, members, checkRows));
        for (var i = 0; i < checkRows.Count; i++)
        {
            if (!TreeMemberCompiler.Agrees(MarginOf(slot, checkRows[i], weights, compiled), expected[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The compiled featurizer when every member is compiled, it gives ML.NET's <c>Features</c> vector on the check
    /// rows and the whole compiled path gives ML.NET's combined margin on them; otherwise null, logged with the reason
    /// (the model then featurises with ML.NET, as before).
    /// </summary>
    private static CompiledTextFeaturizer? CompileFeaturizer(MLContext ml, ITransformer featurizer, ITransformer[] members,
        double[] weights, ICompiledMember?[] compiled, IReadOnlyList<ModelInput> checkRows, string id, ILogger logger,
        Action<FeatureScratch>? perturb)
    {
        if (compiled.Any(c => c is null))
        {
            LogFeaturizerKept(logger, id, "a member learner is scored by ML.NET");
            return null;
        }

        var compiledFeaturizer = TextFeaturizerCompiler.TryCompile(ml, featurizer, checkRows, out var reason, perturb);
        if (compiledFeaturizer is null)
        {
            LogFeaturizerKept(logger, id, reason);
            return null;
        }

        var expected = Combine(weights, MemberMargins(ml, featurizer, members, checkRows));
        var slot = new CompiledSlot(compiledFeaturizer.CreateScratch(), new float[compiled.Max(c => c!.ScratchLength)]);
        for (var i = 0; i < checkRows.Count; i++)
        {
            var margin = CompiledMarginOf(compiledFeaturizer, slot, checkRows[i], weights, compiled);
            if (!TreeMemberCompiler.Agrees(margin, expected[i]))
            {
                LogFeaturizerKept(logger, id, $"check row {i}: margin {margin}, ML.NET {expected[i]}");
                return null;
            }
        }

        LogFeaturizerCompiled(logger, id, checkRows.Count);
        return compiledFeaturizer;
    }

    /// <summary>
    /// Where the compiled featurizer's vector differs from ML.NET's on <paramref name="rows"/> (null when it agrees in
    /// every slot, or when messages are featurised by ML.NET anyway); for tests.
    /// </summary>
    internal string? CompiledFeaturesMismatch(IReadOnlyList<ModelInput> rows) =>
        _compiledFeaturizer is null ? null : TextFeaturizerCompiler.FirstMismatch(_ml, _featurizer, _compiledFeaturizer, rows);

    /// <summary>The ML.NET-only margin (no compiled members): what <see cref="Margin"/> must equal; for tests.</summary>
    internal double MlNetMargin(MessageFeatures features) =>
        Combine(_weights, MemberMargins(_ml, _featurizer, _members, [ModelInput.From(features)]))[0];

    /// <summary>Combined margins for many rows at once (training and evaluation, not the SMTP path).</summary>
    internal double[] Margins(IReadOnlyList<ModelInput> rows) => Combine(_weights, MemberMargins(_ml, _featurizer, _members, rows));

    /// <summary>Each member's margins for many rows; the rows are featurised once.</summary>
    internal static double[][] MemberMargins(MLContext ml, ITransformer featurizer, IReadOnlyList<ITransformer> members, IReadOnlyList<ModelInput> rows)
    {
        var features = ml.Data.Cache(featurizer.Transform(ml.Data.LoadFromEnumerable(rows)));
        return members.Select(m => m.Transform(features).GetColumn<float>("Score").Select(s => (double)s).ToArray()).ToArray();
    }

    /// <summary>The weighted sum of member margins, row by row.</summary>
    internal static double[] Combine(IReadOnlyList<double> weights, IReadOnlyList<double[]> memberMargins)
    {
        var margins = new double[memberMargins[0].Length];
        for (var k = 0; k < weights.Count; k++)
        {
            for (var i = 0; i < margins.Length; i++)
            {
                margins[i] += weights[k] * memberMargins[k][i];
            }
        }

        return margins;
    }

    // featurizer -> member 0 -> Score copied to Score0 -> member 1 -> Score1 ...: one pass scores every member that
    // is not compiled; a compiled member reads the Features column instead.
    private static ITransformer ScoringChain(MLContext ml, ITransformer featurizer, ITransformer[] members, ICompiledMember?[] compiled)
    {
        ITransformer chain = featurizer;
        var view = featurizer.Transform(ml.Data.LoadFromEnumerable(Array.Empty<ModelInput>()));
        for (var k = 0; k < members.Length; k++)
        {
            if (compiled[k] is not null)
            {
                continue;
            }

            view = members[k].Transform(view);
            var copy = ml.Transforms.CopyColumns(MemberScores.Column(k), "Score").Fit(view);
            view = copy.Transform(view);
            chain = chain.Append(members[k]).Append(copy);
        }

        if (compiled.All(c => c is null))
        {
            // Nothing reads the Features column back: hidden, so the engine does not copy it out for every message.
            chain = chain.Append(ml.Transforms.DropColumns(FeatureColumns.Features).Fit(view));
        }

        return chain;
    }

    /// <summary>A prediction engine with its output row and the compiled members' scratch array, rented together.</summary>
    private sealed class ScoringSlot(PredictionEngine<ModelInput, MemberScores> engine, float[] scratch)
    {
        public readonly PredictionEngine<ModelInput, MemberScores> Engine = engine;
        public readonly float[] Scratch = scratch;
        public MemberScores Output = new();
    }

    /// <summary>The compiled path's buffers: the featurizer's scratch and the members' scratch array, rented together.</summary>
    private sealed class CompiledSlot(FeatureScratch features, float[] scratch)
    {
        public readonly FeatureScratch Features = features;
        public readonly float[] Scratch = scratch;
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information,
        Message = "SCL model {Model}: features and member scores computed outside ML.NET (equal to ML.NET's on {CheckRows} check rows)")]
    private static partial void LogFeaturizerCompiled(ILogger logger, string model, int checkRows);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning,
        Message = "SCL model {Model}: features computed by ML.NET, not the compiled featurizer: {Reason}")]
    private static partial void LogFeaturizerKept(ILogger logger, string model, string reason);

    private static ITransformer LoadTransformer(MLContext ml, ZipArchiveEntry entry)
    {
        var buffer = new MemoryStream();
        using (var s = entry.Open())
        {
            s.CopyTo(buffer);
        }

        buffer.Position = 0;
        return ml.Model.Load(buffer, out _);
    }

    private void SaveTransformer(ZipArchive zip, string name, ITransformer transformer)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using var buffer = new MemoryStream();
        _ml.Model.Save(transformer, null, buffer);
        using var e = entry.Open();
        buffer.Position = 0;
        buffer.CopyTo(e);
    }
}
