using System.Collections;
using System.Collections.Immutable;
using MailGateway.Scl.Model.Input;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Text;

namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// Turns a loaded featurizer (the <c>Training/ModelPipeline.Featurizer</c> chain) into a <see cref="CompiledTextFeaturizer"/>
/// and proves, before it is used, that it gives ML.NET's <c>Features</c> vector slot for slot.
/// </summary>
/// <remarks>
/// The chain is walked stage by stage, following what each column holds: text normalisers (their per-character table
/// read off the transformer, <see cref="TextNormalizerTable"/>), word and character tokenizers, the word hashing, the
/// n-gram hashing, L2 normalisation, the min-max normalizer of the numbers and the concatenation into <c>Features</c>.
/// Every setting (bits, seeds, n-gram length, all lengths, ordered, rehash, separators, markers, scale, offsets,
/// which column goes where and how long it is) is read from the loaded transformers; a stage or setting this class
/// does not implement (skip-grams, ordered word hashing, L1 norms, subtracting the mean ...) returns null with the
/// reason, and the caller keeps ML.NET's featurizer. What the source of ML.NET told and the saved settings cannot
/// (the hashing arithmetic, tokenizer edge cases) is checked on <see cref="ModelCheckRows"/>.
/// </remarks>
internal static class TextFeaturizerCompiler
{
    /// <summary>Largest relative difference from ML.NET's value accepted in any slot (float rounding only).</summary>
    public const float RelativeTolerance = 1e-6f;

    /// <summary>
    /// The compiled featurizer, or null with <paramref name="reason"/> when the chain has a stage it does not
    /// implement or its vector differs from ML.NET's on any check row. <paramref name="perturb"/> is a test seam: it
    /// edits every compiled vector, so a test can prove that a wrong vector is refused.
    /// </summary>
    public static CompiledTextFeaturizer? TryCompile(MLContext ml, ITransformer featurizer, IReadOnlyList<ModelInput> checkRows,
        out string reason, Action<FeatureScratch>? perturb = null)
    {
        try
        {
            var compiled = Compile(ml, featurizer, perturb, out reason);
            if (compiled is null)
            {
                return null;
            }

            var mismatch = FirstMismatch(ml, featurizer, compiled, checkRows);
            if (mismatch is not null)
            {
                reason = mismatch;
                return null;
            }

            reason = "";
            return compiled;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Anything unexpected in ML.NET's object model: keep ML.NET's own featurizer, which is always right.
            reason = $"{ex.GetType().Name}: {ex.Message}";
            return null;
        }
    }

    /// <summary>
    /// The first slot where the compiled vector and ML.NET's differ on <paramref name="rows"/>, described; null when
    /// every slot of every row agrees (zero and absent count as equal).
    /// </summary>
    public static string? FirstMismatch(MLContext ml, ITransformer featurizer, CompiledTextFeaturizer compiled, IReadOnlyList<ModelInput> rows)
    {
        var expected = featurizer.Transform(ml.Data.LoadFromEnumerable(rows))
            .GetColumn<VBuffer<float>>(FeatureColumns.Features).Select(Copy).ToArray();
        var scratch = compiled.CreateScratch();
        for (var r = 0; r < rows.Count; r++)
        {
            compiled.Featurize(rows[r], scratch);
            var actual = scratch.ToVBuffer();
            if (actual.Length != expected[r].Length)
            {
                return $"row {r}: {actual.Length} slots, ML.NET {expected[r].Length}";
            }

            var want = NonZero(expected[r]);
            var got = NonZero(actual);
            foreach (var (slot, value) in want)
            {
                var mine = got.GetValueOrDefault(slot);
                if (!Close(mine, value))
                {
                    return $"row {r} slot {slot}: {mine}, ML.NET {value}";
                }
            }

            foreach (var (slot, value) in got)
            {
                if (!want.ContainsKey(slot))
                {
                    return $"row {r} slot {slot}: {value}, ML.NET 0";
                }
            }
        }

        return null;
    }

    private static bool Close(float a, float b) =>
        a == b || Math.Abs(a - b) <= RelativeTolerance * Math.Max(Math.Abs(a), Math.Abs(b));

    private static Dictionary<int, float> NonZero(VBuffer<float> v)
    {
        var result = new Dictionary<int, float>();
        foreach (var (slot, value) in v.Items())
        {
            if (value != 0)
            {
                result[slot] = value;
            }
        }

        return result;
    }

    private static VBuffer<float> Copy(VBuffer<float> source)
    {
        var copy = default(VBuffer<float>);
        source.CopyTo(ref copy);
        return copy;
    }

    private static CompiledTextFeaturizer? Compile(MLContext ml, ITransformer featurizer, Action<FeatureScratch>? perturb, out string reason)
    {
        var schema = ml.Data.LoadFromEnumerable(Array.Empty<ModelInput>()).Schema;
        var columns = new Dictionary<string, ColumnSpec>
        {
            [nameof(ModelInput.Text)] = new SourceText(nameof(ModelInput.Text)),
            [nameof(ModelInput.Meta)] = new SourceText(nameof(ModelInput.Meta)),
            [nameof(ModelInput.Numbers)] = new SourceNumbers(),
        };

        foreach (var stage in Flatten(featurizer))
        {
            var next = stage.GetOutputSchema(schema);
            var error = Apply(ml, stage, columns, schema, next);
            if (error is not null)
            {
                reason = error;
                return null;
            }

            schema = next;
        }

        if (!columns.TryGetValue(FeatureColumns.Features, out var features) || features is not Concatenated concat)
        {
            reason = "Features is not a concatenation this compiler follows";
            return null;
        }

        var bags = new List<HashedBagFeature>();
        ScaledNumbersFeature? numbers = null;
        var offset = 0;
        foreach (var (name, part) in concat.Parts)
        {
            switch (part)
            {
                case Bag bag when numbers is null:
                    bags.Add(new HashedBagFeature(bag.Source, SourceOf(bag.Source), bag.Normalizer, bag.Keys, bag.Ngrams, bag.L2Scale, offset));
                    offset += bag.Ngrams.SlotCount;
                    break;
                case ScaledNumbers scaled when numbers is null:
                    numbers = new ScaledNumbersFeature(scaled.Scale, scaled.Offset, offset);
                    offset += scaled.Scale.Length;
                    break;
                default:
                    reason = $"Features part {name} ({part.GetType().Name}) is not a hashed bag or the scaled numbers (last)";
                    return null;
            }
        }

        var length = schema[FeatureColumns.Features].Type is VectorDataViewType { Size: > 0 } type ? type.Size : -1;
        if (length != offset)
        {
            reason = $"Features has {length} slots, the parts {offset}";
            return null;
        }

        reason = "";
        return new CompiledTextFeaturizer(bags, numbers, length, perturb);
    }

    private static Func<ModelInput, string> SourceOf(string column) => column switch
    {
        nameof(ModelInput.Text) => i => i.Text,
        _ => i => i.Meta,
    };

    private static IEnumerable<ITransformer> Flatten(ITransformer transformer)
    {
        if (transformer is IEnumerable<ITransformer> chain)
        {
            foreach (var inner in chain)
            {
                foreach (var stage in Flatten(inner))
                {
                    yield return stage;
                }
            }
        }
        else
        {
            yield return transformer;
        }
    }

    /// <summary>Records what <paramref name="stage"/> writes in <paramref name="columns"/>; an error when it cannot be followed.</summary>
    private static string? Apply(MLContext ml, ITransformer stage, Dictionary<string, ColumnSpec> columns, DataViewSchema before, DataViewSchema after)
    {
        switch (stage)
        {
            case TextNormalizingTransformer:
                foreach (var (name, input) in ColumnPairs(stage))
                {
                    if (columns.GetValueOrDefault(input) is not SourceText source || ColumnPairs(stage).Length != 1)
                    {
                        return $"text normalizer over {input}";
                    }

                    var table = TextNormalizerTable.Probe(ml, stage, input, name);
                    if (table is null)
                    {
                        return $"text normalizer over {input} maps a character to several";
                    }

                    columns[name] = new NormalizedText(source.Column, table);
                }

                return null;

            case WordTokenizingTransformer:
                foreach (var options in MlNetMembers.Read<IEnumerable>(stage, "_columns"))
                {
                    var name = MlNetMembers.Read<string>(options, "Name");
                    var input = MlNetMembers.Read<string>(options, "InputColumnName");
                    var separators = MlNetMembers.Read<char[]>(options, "SeparatorsArray");
                    if (!TextOf(columns.GetValueOrDefault(input), out var source, out var normalizer) || separators.Length == 0)
                    {
                        return $"word tokenizer over {input}";
                    }

                    columns[name] = new Words(source, normalizer, (char[])separators.Clone());
                }

                return null;

            case HashingTransformer:
                foreach (var options in MlNetMembers.Read<IEnumerable>(stage, "_columns").Cast<HashingEstimator.ColumnOptions>())
                {
                    if (columns.GetValueOrDefault(options.InputColumnName) is not Words words
                        || options.UseOrderedHashing || options.Combine || options.NumberOfBits is < 1 or > 31)
                    {
                        return $"hashing of {options.InputColumnName} (ordered {options.UseOrderedHashing}, combine {options.Combine})";
                    }

                    columns[options.Name] = new Keys(words.Source, words.Normalizer,
                        new WordKeys(words.Separators, options.NumberOfBits, options.Seed));
                }

                return null;

            case TokenizingByCharactersTransformer:
                foreach (var (name, input) in ColumnPairs(stage))
                {
                    var markers = MlNetMembers.Read<bool>(stage, "_useMarkerChars");
                    if (!TextOf(columns.GetValueOrDefault(input), out var source, out var normalizer)
                        || after[name].Type is not VectorDataViewType { ItemType: KeyDataViewType keyType })
                    {
                        return $"character tokenizer over {input}";
                    }

                    columns[name] = new Keys(source, normalizer, new CharacterKeys(markers, (uint)Math.Min(keyType.Count, uint.MaxValue)));
                }

                return null;

            case NgramHashingTransformer:
                foreach (var options in MlNetMembers.Read<IEnumerable>(stage, "_columns"))
                {
                    var name = MlNetMembers.Read<string>(options, "Name");
                    var inputs = MlNetMembers.Read<string[]>(options, "InputColumnNamesArray");
                    var ngramLength = MlNetMembers.Read<int>(options, "NgramLength");
                    var skipLength = MlNetMembers.Read<int>(options, "SkipLength");
                    var numberOfBits = MlNetMembers.Read<int>(options, "NumberOfBits");
                    if (inputs.Length != 1 || columns.GetValueOrDefault(inputs[0]) is not Keys keys || skipLength != 0
                        || ngramLength is < 1 or > 10 || numberOfBits is < 1 or > 30)
                    {
                        return $"n-gram hashing of {string.Join(",", inputs)} (skip {skipLength})";
                    }

                    var ngrams = new NgramSlotHasher(ngramLength, MlNetMembers.Read<bool>(options, "UseAllLengths"),
                        MlNetMembers.Read<bool>(options, "RehashUnigrams"), MlNetMembers.Read<bool>(options, "UseOrderedHashing"),
                        numberOfBits, MlNetMembers.Read<uint>(options, "Seed"));
                    columns[name] = new Bag(keys.Source, keys.Normalizer, keys.TextKeys, ngrams, null);
                }

                return null;

            case LpNormNormalizingTransformer:
                foreach (var options in MlNetMembers.Read<IEnumerable>(stage, "_columns"))
                {
                    var name = MlNetMembers.Read<string>(options, "Name");
                    var input = MlNetMembers.Read<string>(options, "InputColumnName");
                    var norm = MlNetMembers.Read<object>(options, "Norm").ToString();
                    var zeroMean = MlNetMembers.Read<bool>(options, "EnsureZeroMean");
                    var scale = MlNetMembers.Read<float>(options, "Scale");
                    if (columns.GetValueOrDefault(input) is not Bag { L2Scale: null } bag || norm != "L2" || zeroMean)
                    {
                        return $"Lp normalisation of {input} (norm {norm}, zero mean {zeroMean})";
                    }

                    columns[name] = bag with { L2Scale = scale };
                }

                return null;

            case NormalizingTransformer normalizer:
                var pairs = ColumnPairs(stage);
                for (var i = 0; i < pairs.Length; i++)
                {
                    var (name, input) = pairs[i];
                    if (columns.GetValueOrDefault(input) is not SourceNumbers
                        || normalizer.GetNormalizerModelParameters(i) is not NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>> affine
                        || affine.Scale.Length != ModelInput.NumberCount
                        || (!affine.Offset.IsDefaultOrEmpty && affine.Offset.Length != affine.Scale.Length))
                    {
                        return $"normalizer of {input} (not an affine min-max over the numbers)";
                    }

                    columns[name] = new ScaledNumbers(affine.Scale.ToArray(), affine.Offset.IsDefaultOrEmpty ? [] : affine.Offset.ToArray());
                }

                return null;

            case ColumnConcatenatingTransformer:
                foreach (var (name, inputs) in MlNetMembers.Read<IEnumerable<(string, string[])>>(stage, "Columns"))
                {
                    var parts = new List<(string, ColumnSpec)>();
                    foreach (var input in inputs)
                    {
                        parts.Add((input, columns.GetValueOrDefault(input) ?? new Unknown()));
                    }

                    columns[name] = new Concatenated(parts);
                }

                return null;

            case ColumnSelectingTransformer:
                // Drops the temporary columns of a word bag; later stages reuse their names.
                var keep = MlNetMembers.Read<bool>(stage, "KeepColumns");
                var selected = MlNetMembers.Read<string[]>(stage, "_selectedColumns");
                foreach (var name in columns.Keys.ToList())
                {
                    if (selected.Contains(name) != keep)
                    {
                        columns.Remove(name);
                    }
                }

                return null;

            default:
                // A stage this compiler does not follow (the tree learner's slot selection) is harmless unless it
                // writes over one of the columns followed here.
                foreach (var name in columns.Keys)
                {
                    if (before.GetColumnOrNull(name)?.Index != after.GetColumnOrNull(name)?.Index)
                    {
                        return $"{stage.GetType().Name} writes {name}";
                    }
                }

                return null;
        }
    }

    private static (string Output, string Input)[] ColumnPairs(ITransformer stage) =>
        MlNetMembers.Read<(string, string)[]>(stage, "ColumnPairs");

    private static bool TextOf(ColumnSpec? spec, out string source, out TextNormalizerTable? normalizer)
    {
        (source, normalizer) = spec switch
        {
            SourceText s => (s.Column, (TextNormalizerTable?)null),
            NormalizedText n => (n.Source, n.Table),
            _ => ("", null),
        };
        return source.Length > 0;
    }

    private abstract record ColumnSpec;

    private sealed record SourceText(string Column) : ColumnSpec;

    private sealed record SourceNumbers : ColumnSpec;

    private sealed record Unknown : ColumnSpec;

    private sealed record NormalizedText(string Source, TextNormalizerTable Table) : ColumnSpec;

    private sealed record Words(string Source, TextNormalizerTable? Normalizer, char[] Separators) : ColumnSpec;

    private sealed record Keys(string Source, TextNormalizerTable? Normalizer, TextKeys TextKeys) : ColumnSpec;

    private sealed record Bag(string Source, TextNormalizerTable? Normalizer, TextKeys Keys, NgramSlotHasher Ngrams, float? L2Scale) : ColumnSpec;

    private sealed record ScaledNumbers(float[] Scale, float[] Offset) : ColumnSpec;

    private sealed record Concatenated(List<(string Name, ColumnSpec Spec)> Parts) : ColumnSpec;
}
