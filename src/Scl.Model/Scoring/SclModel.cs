using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using MailGateway.Scl.Model.Features;
using MailGateway.Scl.Model.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MailGateway.Scl.Model.Scoring;

/// <summary>
/// A loaded model file: the ML.NET pipeline, its calibration and its SCL mapping. Thread-safe: ML.NET's
/// PredictionEngine is not, so each call rents one from a pool and gives it back.
/// </summary>
/// <remarks>
/// The file is a zip with two entries: <c>mlnet.zip</c> (the ML.NET transformer chain) and <c>scl.json</c>
/// (<see cref="SclModelInfo"/>). One file, so a hot swap replaces model and mapping together.
/// </remarks>
public sealed class SclModel
{
    /// <summary>The file name the gateway looks for next to its binaries when <c>Scl:ModelPath</c> is not set.</summary>
    public const string DefaultFileName = "scl-model.zip";

    private const string MlNetEntry = "mlnet.zip";
    private const string InfoEntry = "scl.json";
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private readonly MLContext _ml;
    private readonly ITransformer _transformer;
    private readonly ConcurrentBag<PredictionEngine<ModelInput, ModelOutput>> _engines = new();

    internal SclModel(MLContext ml, ITransformer transformer, SclModelInfo info, string id)
    {
        _ml = ml;
        _transformer = transformer;
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

    /// <summary>The default model path: <see cref="DefaultFileName"/> in <c>Model/</c> beside the application.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Model", DefaultFileName);

    /// <summary>Loads a model file; throws <see cref="InvalidDataException"/> when the file is not one.</summary>
    public static SclModel Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return Load(bytes);
    }

    /// <summary>Loads a model from its file bytes.</summary>
    public static SclModel Load(byte[] bytes)
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

            var mlEntry = zip.GetEntry(MlNetEntry) ?? throw new InvalidDataException($"no {MlNetEntry} in model file");
            var buffer = new MemoryStream();
            using (var s = mlEntry.Open())
            {
                s.CopyTo(buffer);
            }

            buffer.Position = 0;
            var ml = new MLContext(seed: info.Seed);
            var transformer = ml.Model.Load(buffer, out _);
            return new SclModel(ml, transformer, info, id);
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

            var mlEntry = zip.CreateEntry(MlNetEntry, CompressionLevel.NoCompression);
            using var buffer = new MemoryStream();
            _ml.Model.Save(_transformer, null, buffer);
            using var e = mlEntry.Open();
            buffer.Position = 0;
            buffer.CopyTo(e);
        }

        File.Move(temp, full, overwrite: true);
    }

    /// <summary>The learner's margin for a message (higher = more spam-like).</summary>
    internal double Margin(MessageFeatures features)
    {
        var input = ModelInput.From(features);
        if (!_engines.TryTake(out var engine))
        {
            engine = _ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(_transformer);
        }

        try
        {
            return engine.Predict(input).Score;
        }
        finally
        {
            _engines.Add(engine);
        }
    }

    /// <summary>Scores many rows at once through the transformer (training and evaluation, not the SMTP path).</summary>
    internal static double[] Margins(MLContext ml, ITransformer transformer, IReadOnlyList<ModelInput> rows)
    {
        var scored = transformer.Transform(ml.Data.LoadFromEnumerable(rows));
        return scored.GetColumn<float>("Score").Select(s => (double)s).ToArray();
    }
}
