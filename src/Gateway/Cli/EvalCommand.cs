using MailGateway.Scl.Model.Scoring;
using MailGateway.Scl.Model.Training;

namespace MailGateway.Gateway.Cli;

/// <summary>
/// <c>mailgw eval</c>: scores labelled folders and prints AUC, recall at fixed false-positive rates, each SCL threshold
/// and messages/s. With <c>--corpus</c> it reports the SpamAssassin validation split and the modern evaluation half
/// (never trained on) separately.
/// </summary>
public sealed class EvalCommand : ICliCommand
{
    public string Name => "eval";

    public string Usage => "eval (--spam DIR --ham DIR | --corpus DIR) [--model FILE]";

    public Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var model = SclCliSupport.LoadModel(arguments.Get("model"));
        var scorer = new SclScorer(model);
        Console.WriteLine($"model {model.Id} ({model.Info.Learner}, seed {model.Info.Seed})");

        var corpus = arguments.Get("corpus");
        var reports = new List<(string Title, IReadOnlyList<LabeledFile> Files)>();
        if (corpus is not null)
        {
            var split = CorpusSplit.Load(corpus);
            reports.Add(("SpamAssassin validation split", split.SpamAssassinValidation));
            reports.Add(("modern evaluation half (all sets)", split.ModernEvaluation));
            foreach (var set in split.ModernEvaluation.GroupBy(f => f.Set))
            {
                reports.Add(($"modern evaluation half: {set.Key}", set.ToList()));
            }
        }
        else
        {
            var files = SclCliSupport.Labeled(arguments.GetAll("spam"), arguments.GetAll("ham"));
            if (files.Count == 0)
            {
                throw new CliUsageException("no messages: give --spam DIR and --ham DIR, or --corpus DIR");
            }

            reports.Add(($"{files.Count} messages", files));
        }

        foreach (var (title, files) in reports)
        {
            var (examples, rate) = SclCliSupport.ScoreTimed(scorer, files, cancellationToken);
            SclCliSupport.PrintMetrics(Console.Out, title, BinaryMetrics.Compute(examples), rate);
        }

        return Task.FromResult(0);
    }
}
