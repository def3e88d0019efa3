using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// A tree learner's ensemble flattened into arrays and evaluated straight on the featurizer's sparse
/// <c>Features</c> vector. ML.NET scores the same trees by first cutting <c>Features</c> down to <c>TreeFeatures</c>
/// (its slot dropper walks every kept-slot range for every message) and then looking each split's value up in the
/// sparse vector; together that was about 45% of ML.NET's time per message in the gateway (perf). Here the split
/// features are renumbered once, at load, and a message's values are scattered into a small dense scratch array.
/// </summary>
/// <remarks>
/// Same semantics as ML.NET's trees: at an internal node the left child is taken when the feature value is less than or
/// equal to the threshold; a negative child <c>c</c> is the leaf <c>~c</c>; the output is the bias plus each tree's
/// weight times its leaf value. <see cref="SclModel"/> checks it against ML.NET's own score at load.
/// </remarks>
internal sealed class CompiledTreeEnsemble : ICompiledMember
{
    private readonly int[] _compactOf;      // Features slot -> index into the scratch array, or -1 when no split reads it
    private readonly int[] _nodeFeature;    // compact feature index per internal node (all trees, concatenated)
    private readonly float[] _nodeThreshold;
    private readonly int[] _nodeLeft;       // >= 0: node within the same tree; < 0: ~leaf
    private readonly int[] _nodeRight;
    private readonly double[] _leafValue;   // all trees' leaves, concatenated
    private readonly int[] _treeNodeStart;
    private readonly int[] _treeLeafStart;
    private readonly bool[] _treeIsLeaf;    // a tree with no split: its single leaf
    private readonly double[] _treeWeight;
    private readonly double _bias;

    private CompiledTreeEnsemble(int[] compactOf, int usedFeatures, int[] nodeFeature, float[] nodeThreshold,
        int[] nodeLeft, int[] nodeRight, double[] leafValue, int[] treeNodeStart, int[] treeLeafStart, bool[] treeIsLeaf,
        double[] treeWeight, double bias)
    {
        _compactOf = compactOf;
        UsedFeatureCount = usedFeatures;
        _nodeFeature = nodeFeature;
        _nodeThreshold = nodeThreshold;
        _nodeLeft = nodeLeft;
        _nodeRight = nodeRight;
        _leafValue = leafValue;
        _treeNodeStart = treeNodeStart;
        _treeLeafStart = treeLeafStart;
        _treeIsLeaf = treeIsLeaf;
        _treeWeight = treeWeight;
        _bias = bias;
    }

    /// <summary>Distinct <c>Features</c> slots the splits read: the size of a scratch array for <see cref="Margin(in VBuffer{float}, float[])"/>.</summary>
    public int UsedFeatureCount { get; }

    public int ScratchLength => UsedFeatureCount;

    /// <summary>Length of the <c>Features</c> vector this ensemble reads.</summary>
    public int FeaturesLength => _compactOf.Length;

    /// <summary>
    /// Flattens <paramref name="ensemble"/>, whose feature indices are slots of <c>TreeFeatures</c>;
    /// <paramref name="featuresSlotOf"/> maps each of those to its slot in <c>Features</c> (length
    /// <paramref name="featuresLength"/>). Null when the ensemble has a categorical split (not used by this project's
    /// learners), so the caller keeps ML.NET's scoring.
    /// </summary>
    public static CompiledTreeEnsemble? Create(RegressionTreeEnsemble ensemble, IReadOnlyList<int> featuresSlotOf, int featuresLength)
    {
        var trees = ensemble.Trees;
        var compactOf = new int[featuresLength];
        Array.Fill(compactOf, -1);
        var used = 0;
        int nodes = 0, leaves = 0;
        foreach (var tree in trees)
        {
            if (tree.CategoricalSplitFlags.Any(flag => flag))
            {
                return null;
            }

            nodes += tree.NumberOfNodes;
            leaves += tree.NumberOfLeaves;
        }

        var nodeFeature = new int[nodes];
        var nodeThreshold = new float[nodes];
        var nodeLeft = new int[nodes];
        var nodeRight = new int[nodes];
        var leafValue = new double[leaves];
        var treeNodeStart = new int[trees.Count];
        var treeLeafStart = new int[trees.Count];
        var treeIsLeaf = new bool[trees.Count];
        int n = 0, l = 0;
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            treeNodeStart[t] = n;
            treeLeafStart[t] = l;
            treeIsLeaf[t] = tree.NumberOfNodes == 0;
            for (var i = 0; i < tree.NumberOfNodes; i++, n++)
            {
                var slot = featuresSlotOf[tree.NumericalSplitFeatureIndexes[i]];
                if (compactOf[slot] < 0)
                {
                    compactOf[slot] = used++;
                }

                nodeFeature[n] = compactOf[slot];
                nodeThreshold[n] = tree.NumericalSplitThresholds[i];
                nodeLeft[n] = tree.LeftChild[i];
                nodeRight[n] = tree.RightChild[i];
            }

            for (var i = 0; i < tree.NumberOfLeaves; i++, l++)
            {
                leafValue[l] = tree.LeafValues[i];
            }
        }

        return new CompiledTreeEnsemble(compactOf, used, nodeFeature, nodeThreshold, nodeLeft, nodeRight, leafValue,
            treeNodeStart, treeLeafStart, treeIsLeaf, ensemble.TreeWeights.ToArray(), ensemble.Bias);
    }

    /// <summary>
    /// The ensemble's raw output (ML.NET's uncalibrated Score) for one <c>Features</c> vector.
    /// <paramref name="scratch"/> must hold <see cref="UsedFeatureCount"/> values; it is overwritten.
    /// </summary>
    public double Margin(in VBuffer<float> features, float[] scratch)
    {
        var values = scratch.AsSpan(0, UsedFeatureCount);
        values.Clear();
        var featureValues = features.GetValues();
        if (features.IsDense)
        {
            for (var i = 0; i < featureValues.Length; i++)
            {
                if (_compactOf[i] is var c and >= 0)
                {
                    values[c] = featureValues[i];
                }
            }
        }
        else
        {
            Scatter(features.GetIndices(), featureValues, values);
        }

        return Walk(values);
    }

    /// <summary>
    /// The same for a sparse <c>Features</c> vector in any slot order (<see cref="CompiledTextFeaturizer"/>'s output).
    /// </summary>
    public double Margin(ReadOnlySpan<int> indices, ReadOnlySpan<float> featureValues, float[] scratch)
    {
        var values = scratch.AsSpan(0, UsedFeatureCount);
        values.Clear();
        Scatter(indices, featureValues, values);
        return Walk(values);
    }

    private void Scatter(ReadOnlySpan<int> indices, ReadOnlySpan<float> featureValues, Span<float> values)
    {
        for (var k = 0; k < indices.Length; k++)
        {
            if (_compactOf[indices[k]] is var c and >= 0)
            {
                values[c] = featureValues[k];
            }
        }
    }

    private double Walk(ReadOnlySpan<float> values)
    {
        var sum = _bias;
        for (var t = 0; t < _treeWeight.Length; t++)
        {
            var leaf = 0;
            if (!_treeIsLeaf[t])
            {
                var start = _treeNodeStart[t];
                var node = 0;
                while (node >= 0)
                {
                    var at = start + node;
                    node = values[_nodeFeature[at]] <= _nodeThreshold[at] ? _nodeLeft[at] : _nodeRight[at];
                }

                leaf = ~node;
            }

            sum += _treeWeight[t] * _leafValue[_treeLeafStart[t] + leaf];
        }

        return sum;
    }
}
