using MailGateway.Scl.Model.Scoring;
using MailGateway.Scl.Model.Training;

namespace MailGateway.Scl.Model.Tests;

public sealed class CrossValidatorTests
{
    private static readonly SclThresholds Shipped = new(4, 7, 10);
    private static readonly SclTrainingOptions Linear = new() { Learner = SclLearner.Linear };

    [Fact]
    public void Repeated_cross_validation_scores_and_routes_every_file_once_per_seed()
    {
        var files = Fixtures();

        var report = new SclCrossValidator().CrossValidate(files, Linear, folds: 2, seeds: [1, 2], Shipped);

        Assert.Equal([1, 2], report.Repeats.Select(r => r.Seed));
        foreach (var r in report.Repeats)
        {
            Assert.Equal(files.Count(f => f.IsSpam), r.Confusion.Spam.Values.Sum());
            Assert.Equal(files.Count(f => !f.IsSpam), r.Confusion.Ham.Values.Sum());
            Assert.True(r.Metrics.Auc > 0.9, $"seed {r.Seed}: out-of-fold AUC {r.Metrics.Auc} on obvious spam and ham");
        }

        Assert.Equal(2 * files.Count, report.Confusion.Spam.Values.Sum() + report.Confusion.Ham.Values.Sum());
        Assert.Equal(2 * files.Count, report.Scores.Count);
        Assert.All(report.Scores, s => Assert.InRange(s.Fold, 0, 1));
        Assert.Equal(files.Count(f => f.IsSpam) * 2, report.Scores.Count(s => s.IsSpam));
        // No ham scores above the highest ham it was measured against plus SCL 7's margin, unless it reached SCL 7.
        Assert.All(report.Scores.Where(s => !s.IsSpam), s => Assert.True(s.Scl >= 7 || s.LogOdds < s.HighestOtherHam + SclMapping.ArchiveMargin));
        Assert.Equal(9, report.Meaning.Ham.Length);
        for (var t = 1; t < 9; t++)
        {
            Assert.True(report.Meaning.Ham[t] <= report.Meaning.Ham[t - 1]);
            Assert.True(report.Meaning.Spam[t] <= report.Meaning.Spam[t - 1]);
        }
    }

    [Fact]
    public void Leaving_a_source_out_ranks_its_ham_and_its_spam_separately()
    {
        var files = Fixtures().Select((f, i) => f with { Set = i % 2 == 0 ? "even" : "odd" }).ToList();

        var results = new SclCrossValidator().LeaveOneSourceOut(files, Linear, Shipped);

        Assert.Equal(
            ["even ham", "even spam", "odd ham", "odd spam"],
            results.Select(r => $"{r.Source} {(r.HeldSpam ? "spam" : "ham")}").Order(StringComparer.Ordinal));
        foreach (var r in results)
        {
            Assert.Equal(files.Count(f => f.Set == r.Source && f.IsSpam == r.HeldSpam), r.Count);
            var routed = r.HeldSpam ? r.Confusion.Spam : r.Confusion.Ham;
            Assert.Equal(r.Count, routed.Values.Sum());
        }
    }

    [Fact]
    public void Seeded_buckets_are_stable_per_seed_and_differ_between_seeds()
    {
        var names = Enumerable.Range(0, 200).Select(i => $"/x/inmail.{i}.eml").ToList();

        var a = names.Select(n => CorpusSplit.Bucket(n, 42, 5)).ToList();

        Assert.Equal(a, names.Select(n => CorpusSplit.Bucket("/elsewhere/" + Path.GetFileName(n), 42, 5)));
        Assert.NotEqual(a, names.Select(n => CorpusSplit.Bucket(n, 43, 5)));
        Assert.All(a, b => Assert.InRange(b, 0, 4));
        Assert.Equal(5, a.Distinct().Count());
    }

    [Fact]
    public void Leave_one_source_out_halves_are_another_partition_for_another_seed_not_the_same_halves_swapped()
    {
        var names = Enumerable.Range(0, 400).Select(i => $"/x/{i:x8}.eml").ToList();

        var a = names.Select(n => CorpusSplit.Half(n, 42)).ToList();
        var b = names.Select(n => CorpusSplit.Half(n, 43)).ToList();

        Assert.Equal(a, names.Select(n => CorpusSplit.Half("/elsewhere/" + Path.GetFileName(n), 42)));
        Assert.InRange(a.Count(h => h == 1), 160, 240);
        // Swapped halves would agree on no file and identical halves on every file; another partition agrees on about half.
        var agree = a.Zip(b).Count(p => p.First == p.Second);
        Assert.InRange(agree, 140, 260);
        // What the unmixed FNV-1a bucket does (why Half exists): seeds 42 and 43 only swap its halves.
        Assert.All(names, n => Assert.NotEqual(CorpusSplit.Bucket(n, 42, 2), CorpusSplit.Bucket(n, 43, 2)));
    }

    [Fact]
    public void Routes_follow_the_thresholds()
    {
        Assert.Equal(["inbox", "junk", "junk", "archive", "reject"], new[] { 3, 4, 6, 7, 9 }.Select(new SclThresholds(4, 7, 9).Route));
        Assert.Equal("archive", Shipped.Route(9));
    }

    private static List<LabeledFile> Fixtures() =>
        CorpusSplit.EnumerateMessages(ShippedModelFixture.FixturePath("obvious-spam")).Select(p => new LabeledFile(p, true, "fixtures"))
            .Concat(CorpusSplit.EnumerateMessages(ShippedModelFixture.FixturePath("obvious-ham")).Select(p => new LabeledFile(p, false, "fixtures")))
            .ToList();
}
