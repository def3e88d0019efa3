using MailGateway.Scl.Model.Features;
using MailGateway.Scl.Model.Input;

namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// The linear members' margin split by what the model looked at: each non-zero slot of the <c>Features</c> vector
/// adds weight × value, and that share goes to the reason the slot's n-gram or number is named for
/// (<see cref="SclReasonNames"/>), token by token. When several n-grams of one message share a slot (the same word
/// twice, or a hash collision) each gets its part of the slot's share. Exact: the shares add up to the linear margin
/// less the bias. For explaining a score only: it allocates and hashes the text again.
/// </summary>
internal static class LinearContributions
{
    /// <summary>One reason's share of the margin and its tokens' shares.</summary>
    public sealed class Share
    {
        public double Margin { get; set; }

        public Dictionary<string, double> Tokens { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// Splits Σ member weight × (linear weights · <c>Features</c>) by reason, for the vector <paramref name="scratch"/>
    /// holds (<paramref name="featurizer"/>'s output for <paramref name="input"/>).
    /// </summary>
    public static Dictionary<string, Share> Of(CompiledTextFeaturizer featurizer, FeatureScratch scratch,
        IReadOnlyList<(double Weight, CompiledLinearModel Model)> linear, ModelInput input, MessageFeatures features)
    {
        var values = new Dictionary<int, float>(scratch.Count);
        var indices = scratch.Indices;
        var vector = scratch.Values;
        for (var i = 0; i < indices.Length; i++)
        {
            values[indices[i]] = values.GetValueOrDefault(indices[i]) + vector[i];
        }

        double ShareOf(int slot)
        {
            double weight = 0;
            foreach (var (memberWeight, model) in linear)
            {
                weight += memberWeight * model.Weights[slot];
            }

            return weight * values[slot];
        }

        var shares = new Dictionary<string, Share>(StringComparer.Ordinal);
        Share Of(string reason)
        {
            if (!shares.TryGetValue(reason, out var share))
            {
                shares[reason] = share = new Share();
            }

            return share;
        }

        var covered = new HashSet<int>();
        foreach (var bag in featurizer.Bags)
        {
            var ngrams = bag.Ngrams(input);
            var counts = new Dictionary<int, int>();
            foreach (var (slot, _) in ngrams)
            {
                counts[slot] = counts.GetValueOrDefault(slot) + 1;
            }

            foreach (var (slot, text) in ngrams)
            {
                if (!values.ContainsKey(slot))
                {
                    continue;
                }

                covered.Add(slot);
                var part = ShareOf(slot) / counts[slot];
                var (reason, token) = SclReasonNames.OfNgram(bag.SourceColumn, text, features);
                var share = Of(reason);
                share.Margin += part;
                if (token is not null)
                {
                    share.Tokens[token] = share.Tokens.GetValueOrDefault(token) + part;
                }
            }
        }

        if (featurizer.Numbers is { } numbers)
        {
            for (var i = 0; i < numbers.Length; i++)
            {
                var slot = numbers.Offset + i;
                if (values.ContainsKey(slot) && covered.Add(slot))
                {
                    Of(SclReasonNames.Of(i, features)).Margin += ShareOf(slot);
                }
            }
        }

        // Nothing else writes Features; should a slot come from elsewhere, its share is still counted, unnamed.
        foreach (var slot in values.Keys)
        {
            if (!covered.Contains(slot))
            {
                Of("other features").Margin += ShareOf(slot);
            }
        }

        return shares;
    }
}
