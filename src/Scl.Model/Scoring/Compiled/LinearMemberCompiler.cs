using MailGateway.Scl.Model.Input;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// Turns a loaded linear member (logistic regression over <c>Features</c>) into a <see cref="CompiledLinearModel"/>
/// and proves it gives ML.NET's Score on the check rows before it is used.
/// </summary>
internal static class LinearMemberCompiler
{
    /// <summary>
    /// The compiled member, or null when <paramref name="member"/> is not a linear model over <c>Features</c> or its
    /// margins differ from ML.NET's on <paramref name="checkRows"/> by more than single-precision rounding (<see cref="TreeMemberCompiler.Agrees"/>).
    /// </summary>
    public static CompiledLinearModel? TryCompile(MLContext ml, ITransformer featurizer, ITransformer member, IReadOnlyList<ModelInput> checkRows)
    {
        try
        {
            if (member is not ISingleFeaturePredictionTransformer<object> prediction
                || prediction.FeatureColumnName != FeatureColumns.Features
                || LinearOf(prediction.Model) is not { } linear)
            {
                return null;
            }

            var featured = featurizer.Transform(ml.Data.LoadFromEnumerable(checkRows));
            if (featured.Schema[FeatureColumns.Features].Type is not VectorDataViewType { Size: > 0 } type
                || linear.Weights.Count != type.Size)
            {
                return null;
            }

            var compiled = new CompiledLinearModel(linear.Weights.ToArray(), linear.Bias);
            var expected = member.Transform(featured).GetColumn<float>("Score").ToArray();
            var features = featured.GetColumn<VBuffer<float>>(FeatureColumns.Features).Select(Copy).ToArray();
            for (var i = 0; i < expected.Length; i++)
            {
                if (!TreeMemberCompiler.Agrees(compiled.Margin(features[i], []), expected[i]))
                {
                    return null;
                }
            }

            return expected.Length > 0 ? compiled : null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Anything unexpected in ML.NET's object model: keep ML.NET's own scoring.
            return null;
        }
    }

    /// <summary>The linear model inside <paramref name="model"/> (directly or under a calibrator), else null.</summary>
    private static LinearModelParameters? LinearOf(object? model)
    {
        for (var depth = 0; model is not null && depth < 4; depth++)
        {
            if (model is LinearModelParameters linear)
            {
                return linear;
            }

            // CalibratedModelParametersBase<TSubModel, TCalibrator>.SubModel, read by name as TreeMemberCompiler does.
            model = model.GetType().GetProperties().FirstOrDefault(p => p.Name == "SubModel")?.GetValue(model);
        }

        return null;
    }

    private static VBuffer<float> Copy(VBuffer<float> source)
    {
        var copy = default(VBuffer<float>);
        source.CopyTo(ref copy);
        return copy;
    }
}
