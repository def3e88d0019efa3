using System.Text;
using MailGateway.Scl.Model.Scoring;

namespace MailGateway.Scl.Model.Tests;

/// <summary>Hostile and broken input, generated here: each must score without throwing and say what was odd.</summary>
public sealed class MalformedInputTests(ShippedModelFixture fixture) : IClassFixture<ShippedModelFixture>
{
    private readonly SclScorer _scorer = fixture.Scorer;

    [Fact]
    public async Task Truncated_mime_in_the_middle_of_a_part_scores()
    {
        var message = """
            From: a@example.com
            To: b@example.org
            Subject: truncated
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="XYZ"

            --XYZ
            Content-Type: text/plain

            hello there, the rest of this message never arrived
            --XYZ
            Content-Type: application/octet-stream
            Content-Transfer-Encoding: base64

            AAAAAAAAAAAAAAAAAAAAAAAAAAAA
            """;
        var score = await ScoreAsync(message);
        AssertDefined(score);
        Assert.Contains("never arrived", score.Features.BodyText);
    }

    [Fact]
    public async Task Broken_base64_text_part_scores()
    {
        var message = """
            From: a@example.com
            Subject: broken base64
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: base64

            SGVsbG8gd29y!!!bGQ=====%%%%%@@@@ this is not base64 at all ====
            """;
        AssertDefined(await ScoreAsync(message));
    }

    [Fact]
    public async Task Hundred_level_nested_multipart_scores()
    {
        var sb = new StringBuilder("From: a@example.com\nSubject: nested\nMIME-Version: 1.0\n");
        for (var level = 0; level < 100; level++)
        {
            sb.Append($"Content-Type: multipart/mixed; boundary=\"b{level}\"\n\n--b{level}\n");
        }

        sb.Append("Content-Type: text/plain\n\ndeep inside\n");
        for (var level = 99; level >= 0; level--)
        {
            sb.Append($"--b{level}--\n");
        }

        var score = await ScoreAsync(sb.ToString());
        AssertDefined(score);
    }

    [Fact]
    public async Task Five_megabyte_single_line_scores_with_text_capped()
    {
        var line = new string('A', 5 * 1024 * 1024);
        var score = await ScoreAsync($"From: a@example.com\nSubject: long line\n\n{line}\n");
        AssertDefined(score);
        Assert.True(score.Features.BodyText.Length <= Features.FeatureExtractor.MaxTextChars);
        Assert.Contains(score.TraceNotes, n => n.Contains("capped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Five_megabyte_header_line_scores()
    {
        var value = new string('x', 5 * 1024 * 1024);
        AssertDefined(await ScoreAsync($"From: a@example.com\nX-Junk: {value}\nSubject: big header\n\nbody\n"));
    }

    [Fact]
    public async Task Empty_input_scores_with_a_trace_note()
    {
        var score = await _scorer.ScoreAsync(new MemoryStream(), CancellationToken.None);
        AssertDefined(score);
        Assert.True(score.TraceNotes.Count >= 2, "expected a note besides the model line");
    }

    [Fact]
    public async Task Random_binary_scores_without_throwing()
    {
        var bytes = new byte[200_000];
        new Random(7).NextBytes(bytes);
        AssertDefined(await _scorer.ScoreAsync(new MemoryStream(bytes), CancellationToken.None));
    }

    [Fact]
    public async Task Message_without_text_gets_a_no_text_note()
    {
        var message = """
            From: a@example.com
            Subject:
            MIME-Version: 1.0
            Content-Type: image/gif
            Content-Transfer-Encoding: base64

            R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7
            """;
        var score = await ScoreAsync(message);
        AssertDefined(score);
        Assert.Contains(score.TraceNotes, n => n.Contains("no text", StringComparison.Ordinal));
        Assert.Equal(1, score.Features.Images.ImagePartCount);
    }

    [Fact]
    public async Task Deeply_nested_html_scores()
    {
        var html = string.Concat(Enumerable.Repeat("<div>", 20_000)) + "buy now" + string.Concat(Enumerable.Repeat("</div>", 20_000));
        var score = await ScoreAsync($"From: a@example.com\nSubject: html\nContent-Type: text/html\n\n{html}\n");
        AssertDefined(score);
    }

    private Task<SclScore> ScoreAsync(string message) =>
        _scorer.ScoreAsync(new MemoryStream(Encoding.UTF8.GetBytes(message)), CancellationToken.None);

    private static void AssertDefined(SclScore score)
    {
        Assert.InRange(score.Scl, 0, 9);
        Assert.InRange(score.Probability, 0.0, 1.0);
        Assert.False(double.IsNaN(score.Probability));
        Assert.NotEmpty(score.TraceNotes);
        Assert.StartsWith("scl-model ", score.TraceNotes[0]);
    }
}
