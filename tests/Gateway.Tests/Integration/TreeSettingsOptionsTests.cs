using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// <c>mailgw train</c> and <c>mailgw eval --cv/--loso</c> check the tree member's settings and the sources to leave
/// out before anything is featurised or trained: a bad value is a usage error (exit 2) that names the option.
/// </summary>
public class TreeSettingsOptionsTests
{
    [Theory]
    [InlineData("--tree-rounds", "0", "--tree-rounds must be at least 1")]
    [InlineData("--tree-learning-rate", "1.5", "--tree-learning-rate in (0, 1]")]
    [InlineData("--tree-leaves", "1", "--tree-leaves must be at least 2")]
    [InlineData("--tree-min-leaf", "0", "--tree-min-leaf must be at least 1")]
    [InlineData("--tree-feature-fraction", "0", "--tree-feature-fraction must be in (0, 1]")]
    [InlineData("--tree-feature-fraction", "1.01", "--tree-feature-fraction must be in (0, 1]")]
    [InlineData("--tree-feature-fraction", "half", "--tree-feature-fraction: 'half' is not a number")]
    [InlineData("--tree-l2", "-1", "--tree-l2 must be at least 0")]
    [InlineData("--tree-l2", "NaN", "--tree-l2: 'NaN' is not a number")]
    [InlineData("--tree-columns", "text", "--tree-columns must be all or structural")]
    [InlineData("--ensemble-linear-share", "1.2", "--ensemble-linear-share must be in [0, 1] or chosen")]
    [InlineData("--ensemble-linear-share", "some", "--ensemble-linear-share: 'some' is not a number")]
    [InlineData("--tree-min-slot-count", "0", "--tree-min-slot-count must be at least 1")]
    [InlineData("--ham-weight", "0", "--ham-weight must be above 0")]
    [InlineData("--linear-l1", "-0.1", "--linear-l1 and --linear-l2 at least 0")]
    [InlineData("--linear-l2", "-1", "--linear-l1 and --linear-l2 at least 0")]
    [InlineData("--word-gram-norm", "0", "--word-gram-norm and --char-gram-norm must be in [0.01, 100]")]
    [InlineData("--char-gram-norm", "1000", "--word-gram-norm and --char-gram-norm must be in [0.01, 100]")]
    public async Task Train_refuses_a_training_setting_out_of_range(string option, string value, string message)
    {
        var dir = Directory.CreateTempSubdirectory("mailgw-tree-options-");
        var (code, text) = await ExternalTool.RunAsync("dotnet", RepoPaths.GatewayDll, "train",
            "--spam", dir.FullName, "--ham", dir.FullName, "--out", Path.Combine(dir.FullName, "m.zip"), option, value);
        dir.Delete(true);

        Assert.True(code == 2, text);
        Assert.Contains(message, text, StringComparison.Ordinal);
    }

    [Theory]
    // "chosen" (out of fold) is the one word the share takes besides a number.
    [InlineData("--ensemble-linear-share", "chosen", "mailgw train: --ensemble-linear-share")]
    [InlineData("--char-gram-norm", "0.01", "must be in [0.01, 100]")]
    [InlineData("--word-gram-norm", "100", "must be in [0.01, 100]")]
    public async Task Train_takes_a_value_in_range_and_gets_as_far_as_the_messages(string option, string value, string refusal)
    {
        // With empty folders the command stops at the messages, not at the option.
        var dir = Directory.CreateTempSubdirectory("mailgw-tree-options-");
        var (code, text) = await ExternalTool.RunAsync("dotnet", RepoPaths.GatewayDll, "train",
            "--spam", dir.FullName, "--ham", dir.FullName, "--out", Path.Combine(dir.FullName, "m.zip"), option, value);
        dir.Delete(true);

        Assert.True(code == 2, text);
        Assert.Contains("mailgw train: need at least one spam and one ham message", text, StringComparison.Ordinal);
        Assert.DoesNotContain(refusal, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_loso_refuses_a_source_the_corpus_does_not_have()
    {
        var corpus = Directory.CreateTempSubdirectory("mailgw-loso-source-");
        foreach (var label in new[] { "spam", "ham" })
        {
            Directory.CreateDirectory(Path.Combine(corpus.FullName, "trec07p", label));
            await File.WriteAllTextAsync(Path.Combine(corpus.FullName, "trec07p", label, "m.eml"), "Subject: x\r\n\r\ny\r\n");
        }

        var (code, text) = await ExternalTool.RunAsync("dotnet", RepoPaths.GatewayDll, "eval",
            "--corpus", corpus.FullName, "--loso", "--loso-source", "nosuch", "--learner", "linear");
        corpus.Delete(true);

        Assert.True(code == 2, text);
        Assert.Contains("--loso-source: no source 'nosuch' in the training files (trec07p)", text, StringComparison.Ordinal);
    }
}
