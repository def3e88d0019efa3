using MailGateway.Scl.Model.Training;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Cli;

/// <summary>
/// <c>mailgw train</c>: trains an SCL model from folders of raw messages, or (<c>--corpus</c>) from the shared corpus
/// with its fixed splits, which is how the shipped model is reproduced.
/// </summary>
public sealed class TrainCommand : ICliCommand
{
    public string Name => "train";

    public string Usage =>
        "train (--spam DIR --ham DIR [--holdout PERCENT] | --corpus DIR) (--out FILE | --oof-scores FILE) [--seed N] [--learner ensemble|linear|trees|auto]\n" +
        "            [--tree-rounds N] [--tree-learning-rate X] [--tree-leaves N] [--tree-min-leaf N] [--tree-feature-fraction X]\n" +
        "            [--tree-l2 X] [--tree-columns all|structural] [--ensemble-linear-share X|chosen] [--recalibrate MODEL]\n" +
        "            [--tree-min-slot-count N] [--ham-weight X] [--linear-l1 X] [--linear-l2 X] [--word-gram-norm X] [--char-gram-norm X]\n" +
        "       (the defaults are the shipped model's: ensemble, 100 rounds at 0.2, structural columns, Linear share 0.8)";

    public Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        // --oof-scores FILE without --out: cross-validation only (the training files' out-of-fold margins), no model.
        var oofScores = arguments.Get("oof-scores");
        var output = oofScores is null ? arguments.Require("out") : arguments.Get("out");
        var learner = Enum.TryParse<SclLearner>(arguments.Get("learner") ?? "ensemble", ignoreCase: true, out var l)
            ? l
            : throw new CliUsageException("--learner must be ensemble, linear, trees or auto");
        var options = SclCliSupport.WithTrainingSettings(new SclTrainingOptions { Seed = arguments.GetInt("seed") ?? 42, Learner = learner }, arguments);

        List<LabeledFile> training;
        List<LabeledFile> validation;
        var corpus = arguments.Get("corpus");
        if (corpus is not null)
        {
            var split = CorpusSplit.Load(corpus);
            training = split.Training.ToList();
            validation = split.SpamAssassinValidation.ToList();
        }
        else
        {
            var all = SclCliSupport.Labeled(arguments.GetAll("spam"), arguments.GetAll("ham"));
            var holdout = arguments.GetInt("holdout") ?? 0;
            if (holdout is < 0 or > 90)
            {
                throw new CliUsageException("--holdout is a percentage between 0 and 90");
            }

            training = all.Where(f => CorpusSplit.Bucket(f.Path) >= holdout).ToList();
            validation = all.Where(f => CorpusSplit.Bucket(f.Path) < holdout).ToList();
        }

        if (!training.Any(f => f.IsSpam) || !training.Any(f => !f.IsSpam))
        {
            throw new CliUsageException("need at least one spam and one ham message to train on (--spam DIR --ham DIR, or --corpus DIR)");
        }

        using var loggers = SclCliSupport.CreateLoggerFactory();
        var trainer = new SclTrainer(loggers.CreateLogger<SclTrainer>());
        if (output is null)
        {
            return Task.FromResult(CrossValidateOnly(trainer, training, options, oofScores!, cancellationToken));
        }

        // --recalibrate MODEL: keep MODEL's fitted learners, redo only the cross-validated calibration and cut points.
        var recalibrate = arguments.Get("recalibrate");
        var model = recalibrate is null
            ? trainer.Train(training, validation, options, cancellationToken)
            : trainer.Recalibrate(SclCliSupport.LoadModel(recalibrate), training, options, cancellationToken);
        model.Save(output);

        Console.WriteLine($"wrote {output}: {model.Info.Learner}, trained on {model.Info.TrainingSpam} spam + {model.Info.TrainingHam} ham, seed {options.Seed}");
        foreach (var c in model.Info.Candidates)
        {
            Console.WriteLine($"  {c.Learner,-7} on {c.On} (n {c.N}): AUC {c.Auc:0.00000}, recall {c.RecallAtFpr01Percent:0.00%} at FPR<=0.1%, {c.RecallAtFpr1Percent:0.00%} at FPR<=1%, {c.TrainSeconds}s");
        }

        Console.WriteLine($"  SCL cut points (log-odds): {string.Join(" ", model.Info.CutPoints.Select(c => c.ToString("0.###")))}");
        return Task.FromResult(0);
    }

    private static int CrossValidateOnly(SclTrainer trainer, List<LabeledFile> training, SclTrainingOptions options, string path, CancellationToken ct)
    {
        var (results, scores) = trainer.CrossValidate(training, options, ct);
        var candidates = results.Select(r => Enum.Parse<SclLearner>(r.Learner)).ToList();
        using (var writer = new StreamWriter(path))
        {
            writer.WriteLine("path\tlabel\t" + string.Join("\t", candidates.Select(c => c.ToString().ToLowerInvariant())));
            foreach (var s in scores)
            {
                var margins = candidates.Select(c => s.Margins[c].ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteLine($"{s.Path}\t{(s.IsSpam ? "spam" : "ham")}\t{string.Join("\t", margins)}");
            }
        }

        Console.WriteLine($"wrote {path}: out-of-fold margins of {scores.Count} training files, seed {options.Seed}");
        foreach (var c in results)
        {
            Console.WriteLine($"  {c.Learner,-7} on {c.On} (n {c.N}): AUC {c.Auc:0.00000}, recall {c.RecallAtFpr01Percent:0.00%} at FPR<=0.1%, {c.RecallAtFpr1Percent:0.00%} at FPR<=1%, {c.TrainSeconds}s");
        }

        return 0;
    }
}
