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
/// The file is a zip: <c>scl.json</c> (<see cref="SclModelInfo"/>) and one ML.NET transformer chain per member
/// learner, <c>mlnet-0.zip</c>, <c>mlnet-1.zip</c> ... (the margin is the mean of the members'). One file, so a hot
/// swap replaces model and mapping together.
/// </remarks>
public sealed class SclModel
{
    /// <summary>The file name the gateway looks for next to its binaries when <c>Scl:ModelPath</c> is not set.</summary>
    public const string DefaultFileName = "scl-model.zip";

    private const string MlNetEntryPrefix = "mlnet-";
    private const string InfoEntry = "scl.json";
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private readonly MLContext _ml;
    private readonly ITransformer[] _members;
    private readonly ConcurrentBag<PredictionEngine<ModelInput, ModelOutput>[]> _engines = new();

    internal SclModel(MLContext ml, ITransformer[] members, SclModelInfo info, string id)
    {
        _ml = ml;
        _members = members;
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

            var ml = new MLContext(seed: info.Seed);
            var members = new List<ITransformer>();
            for (var i = 0; zip.GetEntry($"{MlNetEntryPrefix}{i}.zip") is { } entry; i++)
            {
                var buffer = new MemoryStream();
                using (var s = entry.Open())
                {
                    s.CopyTo(buffer);
                }

                buffer.Position = 0;
                members.Add(ml.Model.Load(buffer, out _));
            }

            if (members.Count == 0)
            {
                throw new InvalidDataException($"no {MlNetEntryPrefix}0.zip in model file");
            }

            return new SclModel(ml, members.ToArray(), info, id);
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

            for (var i = 0; i < _members.Length; i++)
            {
                // ML.NET's own file is already compressed.
                var mlEntry = zip.CreateEntry($"{MlNetEntryPrefix}{i}.zip", CompressionLevel.NoCompression);
                using var buffer = new MemoryStream();
                _ml.Model.Save(_members[i], null, buffer);
                using var e = mlEntry.Open();
                buffer.Position = 0;
                buffer.CopyTo(e);
            }
        }

        File.Move(temp, full, overwrite: true);
    }

    /// <summary>The same fitted learners with another calibration and mapping.</summary>
    internal SclModel WithCalibration(PlattCalibration calibration, SclMapping mapping) =>
        new(_ml, _members, Info with { CalibrationA = calibration.A, CalibrationB = calibration.B, CutPoints = mapping.CutPoints.ToArray() }, "unsaved");

    /// <summary>The learner's margin for a message (higher = more spam-like).</summary>
    internal double Margin(MessageFeatures features)
    {
        var input = ModelInput.From(features);
        if (!_engines.TryTake(out var engines))
        {
            engines = _members.Select(m => _ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(m)).ToArray();
        }

        try
        {
            double sum = 0;
            foreach (var engine in engines)
            {
                sum += engine.Predict(input).Score;
            }

            return sum / engines.Length;
        }
        finally
        {
            _engines.Add(engines);
        }
    }

    /// <summary>Scores many rows at once through the transformer (training and evaluation, not the SMTP path).</summary>
    internal static double[] Margins(MLContext ml, IReadOnlyList<ITransformer> members, IReadOnlyList<ModelInput> rows)
    {
        var data = ml.Data.LoadFromEnumerable(rows);
        var sum = new double[rows.Count];
        foreach (var member in members)
        {
            var i = 0;
            foreach (var score in member.Transform(data).GetColumn<float>("Score"))
            {
                sum[i++] += score;
            }
        }

        return sum.Select(s => s / members.Count).ToArray();
    }
}
