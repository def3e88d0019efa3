using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary><c>mailgw score</c> says what the gateway would do with each message under the thresholds in force.</summary>
public class ScoreCommandTests
{
    [Fact]
    public async Task Score_prints_the_disposition_the_thresholds_in_force_give()
    {
        var dir = Directory.CreateTempSubdirectory("mailgw-score-");
        var message = Path.Combine(dir.FullName, "m.eml");
        await File.WriteAllTextAsync(message, "From: a@sender.test\r\nTo: b@example.org\r\nSubject: meeting\r\n\r\nSee you at ten.\r\n");
        var thresholds = Path.Combine(dir.FullName, "thresholds.json");

        async Task<string[]> ScoreAsync(int junk, int archive, int reject)
        {
            await File.WriteAllTextAsync(thresholds,
                $$"""{ "Scl": { "JunkThreshold": {{junk}}, "ArchiveThreshold": {{archive}}, "RejectThreshold": {{reject}} } }""");
            var (code, text) = await ExternalTool.RunAsync("dotnet", RepoPaths.GatewayDll, "score", "--format", "tsv",
                "--Scl:ThresholdsFile=" + thresholds, message);
            Assert.True(code == 0, text);
            return text.Split('\n').Single(l => l.StartsWith(message, StringComparison.Ordinal)).TrimEnd('\r').Split('\t');
        }

        // Every threshold at 0: whatever SCL the model gives (0..9), the message is refused; at 10, it is delivered.
        Assert.Equal("rejected", (await ScoreAsync(0, 0, 0))[^1]);
        Assert.Equal("archive", (await ScoreAsync(0, 0, 10))[^1]);
        Assert.Equal("junk", (await ScoreAsync(0, 10, 10))[^1]);
        var inbox = await ScoreAsync(10, 10, 10);
        Assert.Equal("inbox", inbox[^1]);
        Assert.Equal(5, inbox.Length);
        dir.Delete(true);
    }

    [Fact]
    public async Task Score_why_prints_the_models_reasons_under_each_line()
    {
        var corpus = Path.Combine(AppContext.BaseDirectory, "Fixtures", "corpus");
        var spam = Directory.GetFiles(Path.Combine(corpus, "spam"), "00375*.eml").Single();
        var ham = Directory.GetFiles(Path.Combine(corpus, "ham"), "00023*.eml").Single();

        var (code, text) = await ExternalTool.RunAsync("dotnet", RepoPaths.GatewayDll, "score", "--why", spam, ham);
        var (tsvCode, tsv) = await ExternalTool.RunAsync("dotnet", RepoPaths.GatewayDll, "score", "--why", "--format", "tsv", spam);

        Assert.True(code == 0, text);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var spamWhy = lines[lines.FindIndex(l => l.StartsWith(spam + ": SCL ", StringComparison.Ordinal)) + 1];
        var hamWhy = lines[lines.FindIndex(l => l.StartsWith(ham + ": SCL ", StringComparison.Ordinal)) + 1];
        Assert.Matches(@"^  why: [^;]+ \(\+\d+\.\d\)", spamWhy);
        Assert.StartsWith("  why: toward ham: ", hamWhy, StringComparison.Ordinal);
        Assert.True(tsvCode == 0, tsv);
        var columns = tsv.Split('\n').Single(l => l.StartsWith(spam, StringComparison.Ordinal)).TrimEnd('\r').Split('\t');
        Assert.Equal(6, columns.Length);
        Assert.Equal(spamWhy["  why: ".Length..], columns[5]);
    }
}
