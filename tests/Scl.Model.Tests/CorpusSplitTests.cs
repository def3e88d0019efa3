using MailGateway.Scl.Model.Training;

namespace MailGateway.Scl.Model.Tests;

public sealed class CorpusSplitTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "corpus-split-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Every_trec07p_message_trains_with_its_label_and_source()
    {
        Write("spamassassin/ham/easy-ham-1/a.eml");
        Write("trec07p/ham/inmail.1.eml");
        Write("trec07p/ham/inmail.2.eml");
        Write("trec07p/spam/inmail.3.eml");

        var split = CorpusSplit.Load(_root);

        Assert.Equal(3, split.Trec07pTraining.Count);
        Assert.All(split.Trec07pTraining, f => Assert.Equal("trec07p", f.Set));
        Assert.Equal(["inmail.3.eml"], split.Trec07pTraining.Where(f => f.IsSpam).Select(f => Path.GetFileName(f.Path)));
        Assert.Equal(3, split.Training.Count(f => f.Set == "trec07p"));
        Assert.DoesNotContain(split.ModernEvaluation.Concat(split.SpamAssassinValidation), f => f.Set == "trec07p");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string relative)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "Subject: x\n\nbody\n");
    }
}
