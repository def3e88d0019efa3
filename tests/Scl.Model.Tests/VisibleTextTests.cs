using System.Text;
using MailGateway.Scl.Model.Features;
using MimeKit;

namespace MailGateway.Scl.Model.Tests;

/// <summary>The one extractor of shown text: the model's body text and the keyword filter's are the same reading.</summary>
public sealed class VisibleTextTests
{
    public static TheoryData<string> FixtureFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(ShippedModelFixture.FixturePath(), "*.eml", SearchOption.AllDirectories).Order())
        {
            data.Add(Path.GetRelativePath(ShippedModelFixture.FixturePath(), file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FixtureFiles))]
    public void At_the_models_cap_the_text_is_exactly_the_models_body_text(string file)
    {
        using var message = MimeMessage.Load(ShippedModelFixture.FixturePath(file));

        Assert.Equal(FeatureExtractor.Extract(message).BodyText, VisibleText.Of(message, FeatureExtractor.MaxTextChars));
    }

    [Fact]
    public void Every_shown_part_is_read_html_alternative_and_second_inline_part_included_attachments_not()
    {
        var raw = """
            Subject: parts
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary=mix

            --mix
            Content-Type: multipart/alternative; boundary=alt

            --alt
            Content-Type: text/plain

            Hello plain
            --alt
            Content-Type: text/html

            <p>Hello <b>html</b></p><script>hidden()</script>
            --alt--
            --mix
            Content-Type: text/plain
            Content-Disposition: inline

            second inline
            --mix
            Content-Type: text/plain
            Content-Disposition: attachment; filename=notes.txt

            attached words
            --mix--

            """;
        using var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n"))));

        var text = VisibleText.Of(message, 256 * 1024);

        Assert.Equal("Hello plain Hello html second inline", text);
        Assert.Equal(text, FeatureExtractor.Extract(message).BodyText);
    }

    [Fact]
    public void The_cap_bounds_the_text()
    {
        var raw = "Subject: long\r\nContent-Type: text/plain\r\n\r\n" + string.Concat(Enumerable.Repeat("word ", 100_000)) + "\r\n";
        using var message = MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(raw)));

        Assert.Equal(1000, VisibleText.Of(message, 1000).Length);
        Assert.Equal(256 * 1024, VisibleText.Of(message, 256 * 1024).Length);
    }
}
