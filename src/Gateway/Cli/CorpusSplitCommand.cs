using MailGateway.Scl.Model.Training;

namespace MailGateway.Gateway.Cli;

/// <summary>
/// <c>mailgw corpus-split --corpus DIR</c>: lists which side of the fixed splits every corpus file is on
/// (<c>part, set, label, path</c>), so other tools (bench/compare-spamassassin.sh) use exactly the same files.
/// </summary>
public sealed class CorpusSplitCommand : ICliCommand
{
    public string Name => "corpus-split";

    public string Usage => "corpus-split --corpus DIR   list train/validation/evaluation sides of the shared corpus";

    public Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var split = CorpusSplit.Load(arguments.Require("corpus"));
        void Print(string part, IEnumerable<LabeledFile> files)
        {
            foreach (var f in files)
            {
                Console.Out.WriteLine($"{part}\t{f.Set}\t{(f.IsSpam ? "spam" : "ham")}\t{Path.GetFullPath(f.Path)}");
            }
        }

        Print("train", split.SpamAssassinTraining);
        Print("validation", split.SpamAssassinValidation);
        Print("train", split.ModernTraining);
        Print("evaluation", split.ModernEvaluation);
        Print("train", split.Trec07pTraining);
        return Task.FromResult(0);
    }
}
