using MailGateway.Filters.Model;
using MailGateway.Gateway.Admin;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Tests.Admin;

/// <summary>The model's reasons for an archived copy, worked out with the shipped model when the console asks.</summary>
public sealed class ModelReasonsTests : IDisposable
{
    private readonly SclScorerHost _host = new(Options.Create(new ModelOptions()), NullLoggerFactory.Instance);

    private static string Corpus(string kind, string name) =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "corpus", kind), name + "*.eml").Single();

    [Fact]
    public async Task A_spam_copy_is_explained_by_what_pushed_it_toward_spam_with_the_model_that_said_so()
    {
        var path = Corpus("spam", "00375");
        await using var stream = File.OpenRead(path);
        var score = await _host.Scorer!.ScoreAsync(stream, CancellationToken.None);

        var words = await ModelReasons.DescribeAsync(_host, path, score.Scl, CancellationToken.None);

        Assert.NotNull(words);
        Assert.Matches(@"^why: [^;]+ \(\+\d+\.\d\)", words);
        Assert.DoesNotContain("toward ham", words, StringComparison.Ordinal);
        Assert.EndsWith($"(model {_host.Scorer.Model.Id}, scored again now)", words, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ham_copy_says_what_pushed_it_toward_ham_first_and_a_changed_scl_is_named()
    {
        var path = Corpus("ham", "00023");

        var words = await ModelReasons.DescribeAsync(_host, path, tracedScl: 8, CancellationToken.None);

        Assert.NotNull(words);
        Assert.StartsWith("why: toward ham: ", words, StringComparison.Ordinal);
        Assert.Matches(@"\(-\d+\.\d\)", words);
        Assert.Matches(@", scored again now: SCL [0-3], spam probability \d+%\)$", words);
    }

    [Fact]
    public async Task A_copy_that_is_gone_has_no_reasons_rather_than_an_error()
    {
        Assert.Null(await ModelReasons.DescribeAsync(_host, Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".eml"), 5, CancellationToken.None));
    }

    public void Dispose() => _host.Dispose();
}
