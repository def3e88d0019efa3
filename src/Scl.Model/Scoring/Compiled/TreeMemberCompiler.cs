using MailGateway.Scl.Model.Input;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// Turns a loaded tree member (LightGBM over <c>TreeFeatures</c>) into a <see cref="CompiledTreeEnsemble"/> that reads
/// <c>Features</c> directly, and proves it gives ML.NET's score before it is used.
/// </summary>
internal static class TreeMemberCompiler
{
    /// <summary>Largest difference from ML.NET's Score accepted at the load-time check (float rounding only).</summary>
    public const double Tolerance = 1e-3;

    /// <summary>
    /// Above a margin of 100, the share of it accepted instead: ML.NET sums in single precision, whose rounding on a
    /// made-up check row with a margin of 18,055 was 0.0015 (the shipped linear member of 2026-12-03, stop 26).
    /// </summary>
    public const double RelativeTolerance = 1e-5;

    /// <summary>Whether a compiled margin is ML.NET's, up to single-precision rounding.</summary>
    public static bool Agrees(double compiled, double mlNet) =>
        Math.Abs(compiled - mlNet) <= Math.Max(Tolerance, RelativeTolerance * Math.Abs(mlNet));

    /// <summary>
    /// The compiled ensemble of <paramref name="member"/>, or null when it is not a tree learner over
    /// <c>TreeFeatures</c>, the featurizer's slot selection cannot be read, or the compiled scores differ from
    /// ML.NET's on <paramref name="checkRows"/>; then the caller keeps scoring the member with ML.NET.
    /// </summary>
    public static CompiledTreeEnsemble? TryCompile(MLContext ml, ITransformer featurizer, ITransformer member,
        IReadOnlyList<ModelInput> checkRows)
    {
        try
        {
            if (member is not ISingleFeaturePredictionTransformer<object> prediction
                || prediction.FeatureColumnName != FeatureColumns.TreeFeatures
                || EnsembleOf(prediction.Model) is not { } ensemble
                || featurizer is not TransformerChain<ITransformer> chain)
            {
                return null;
            }

            var featured = featurizer.Transform(ml.Data.LoadFromEnumerable(checkRows));
            if (featured.Schema[FeatureColumns.Features].Type is not VectorDataViewType { Size: > 0 } featuresType)
            {
                return null;
            }

            var slots = ProbeSlotSelection(ml, chain, featured.Schema, featuresType.Size);
            if (slots is null || CompiledTreeEnsemble.Create(ensemble, slots, featuresType.Size) is not { } compiled)
            {
                return null;
            }

            return AgreesWithMlNet(compiled, member, featured) ? compiled : null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Anything unexpected in ML.NET's object model: keep ML.NET's own scoring, which is always correct.
            return null;
        }
    }

    /// <summary>A trained tree ensemble inside <paramref name="model"/> (directly or under a calibrator), else null.</summary>
    private static RegressionTreeEnsemble? EnsembleOf(object? model)
    {
        for (var depth = 0; model is not null && depth < 4; depth++)
        {
            if (model is TreeEnsembleModelParametersBasedOnRegressionTree trees)
            {
                return trees.TrainedTreeEnsemble;
            }

            // CalibratedModelParametersBase<TSubModel, TCalibrator>.SubModel: generic over the loaded types, so by name.
            // (Several SubModel properties along the type hierarchy: the first one found is the most derived.)
            model = model.GetType().GetProperties().FirstOrDefault(p => p.Name == "SubModel")?.GetValue(model);
        }

        return null;
    }

    /// <summary>
    /// For each <c>TreeFeatures</c> slot, the <c>Features</c> slot it was selected from: the featurizer's last two steps
    /// (the concatenation the tree's slots are selected from, and the selection) are run on one row whose every value
    /// is its own <c>Features</c> slot number plus one, in <c>Features</c> and in each of the parts it is concatenated
    /// from. That covers both kinds of tree slots: selected from every slot, or from the evidence tokens and numbers
    /// only (<c>--tree-columns structural</c>). Null when the output is not that kind of selection.
    /// </summary>
    private static int[]? ProbeSlotSelection(MLContext ml, TransformerChain<ITransformer> chain, DataViewSchema featured,
        int featuresLength)
    {
        var steps = chain.ToArray();
        if (steps.Length < 2)
        {
            return null;
        }

        var row = new ProbeRow { Features = Numbered(0, featuresLength) };
        var definition = SchemaDefinition.Create(typeof(ProbeRow));
        definition[nameof(ProbeRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featuresLength);
        var offset = 0;
        foreach (var part in FeatureColumns.FeatureParts)
        {
            if (featured.GetColumnOrNull(part)?.Type is not VectorDataViewType { Size: > 0 } type)
            {
                return null;
            }

            if (typeof(ProbeRow).GetProperty(part) is not { } property)
            {
                return null;
            }

            property.SetValue(row, Numbered(offset, type.Size));
            definition[part].ColumnType = new VectorDataViewType(NumberDataViewType.Single, type.Size);
            offset += type.Size;
        }

        if (offset != featuresLength)
        {
            return null;
        }

        var probe = ml.Data.LoadFromEnumerable([row], definition);
        var output = new TransformerChain<ITransformer>(steps[^2..]).Transform(probe);
        if (output.Schema.GetColumnOrNull(FeatureColumns.TreeFeatures) is null)
        {
            return null;
        }

        var selected = output.GetColumn<VBuffer<float>>(FeatureColumns.TreeFeatures).Single().DenseValues()
            .Select(v => (int)v - 1).ToArray();
        for (var i = 0; i < selected.Length; i++)
        {
            if (selected[i] < 0 || selected[i] >= featuresLength || (i > 0 && selected[i] <= selected[i - 1]))
            {
                return null;
            }
        }

        return selected;
    }

    private static float[] Numbered(int offset, int length)
    {
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = offset + i + 1;
        }

        return values;
    }

    private static bool AgreesWithMlNet(CompiledTreeEnsemble compiled, ITransformer member, IDataView featured)
    {
        var expected = member.Transform(featured).GetColumn<float>("Score").ToArray();
        // GetColumn hands out the same buffers row after row: each vector is copied before the next is read.
        var features = featured.GetColumn<VBuffer<float>>(FeatureColumns.Features).Select(Copy).ToArray();
        var scratch = new float[compiled.UsedFeatureCount];
        for (var i = 0; i < expected.Length; i++)
        {
            if (!Agrees(compiled.Margin(features[i], scratch), expected[i]))
            {
                return false;
            }
        }

        return expected.Length > 0;
    }

    private static VBuffer<float> Copy(VBuffer<float> source)
    {
        var copy = default(VBuffer<float>);
        source.CopyTo(ref copy);
        return copy;
    }

    // Features and one property per column of FeatureColumns.FeatureParts, named as the column.
    private sealed class ProbeRow
    {
        public float[] Features { get; set; } = [];

        public float[] WordBag { get; set; } = [];

        public float[] CharGrams { get; set; } = [];

        public float[] MetaBag { get; set; } = [];

        public float[] NumbersScaled { get; set; } = [];
    }
}
