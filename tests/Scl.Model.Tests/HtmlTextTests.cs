using MailGateway.Scl.Model.Features;

namespace MailGateway.Scl.Model.Tests;

/// <summary>The one-pass HTML scanner: what is visible text, which links and images count.</summary>
public sealed class HtmlTextTests
{
    [Fact]
    public void Hidden_elements_comments_and_markup_are_not_text_and_entities_are_decoded()
    {
        var r = HtmlText.Convert(
            "<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style></head><body>"
            + "<!-- hidden <b>note</b> --><p>Caf&eacute; &amp; bar&nbsp;now</p><script>var x = '</p>';</script>"
            + "<div>two<br/>lines</div><noscript>enable js</noscript></body></html>", 1000);

        Assert.Equal("Café & bar now two lines", r.Text);
    }

    [Fact]
    public void Links_and_images_are_collected_whatever_the_quoting()
    {
        var r = HtmlText.Convert(
            "<a href=\"http://one.example/a?x=1&amp;y=2\">1</a> <A HREF='https://two.example/'>2</A> <a href=http://three.example/>3</a>"
            + "<img src=\"cid:logo\"><IMG SRC=https://track.example/p.gif><img src='//cdn.example/x.png'><img src=\"data:image/png;base64,AA\">", 1000);

        Assert.Equal(["http://one.example/a?x=1&y=2", "https://two.example/", "http://three.example/"], r.Hrefs);
        Assert.Equal(1, r.InlineImages);
        Assert.Equal(2, r.RemoteImages);
        Assert.Equal("1 2 3", r.Text);
    }

    [Fact]
    public void A_stray_less_than_sign_is_text_and_an_unclosed_head_does_not_hide_the_body()
    {
        Assert.Equal("if a < b then buy", HtmlText.Convert("if a < b then <b>buy</b>", 1000).Text);
        Assert.Equal("visible", HtmlText.Convert("<head><body>visible</body>", 1000).Text);
    }

    [Fact]
    public void Text_stops_at_the_cap_but_links_after_it_still_count()
    {
        var r = HtmlText.Convert("<p>" + new string('x', 500) + "</p><a href=\"http://late.example/\">late</a>", 100);

        Assert.Equal(100, r.Text.Length);
        Assert.Equal(["http://late.example/"], r.Hrefs);
    }

    [Fact]
    public void Remembered_end_tag_searches_give_exactly_the_answers_of_searching_again()
    {
        // The memo that keeps unclosed <script>/<style> tags linear must not change what the model reads.
        string[] pieces = ["<script>", "</script>", "</SCRIPT >", "</scripts>", "<style>", "</style", "</x>", "x", " ", "<title>", "</title>", "</"];
        var random = new Random(2117);
        for (var run = 0; run < 2_000; run++)
        {
            var html = string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => pieces[random.Next(pieces.Length)]));
            var search = new HtmlText.EndTagSearch();
            var start = 0;
            while (start < html.Length)
            {
                var element = random.Next(3) switch { 0 => "script", 1 => "style", _ => "title" };
                Assert.Equal(HtmlText.IndexOfEndTag(html, element, start), search.IndexOf(html, element, start));
                start += random.Next(1, 6);
            }
        }
    }

    [Fact]
    public void Thirty_thousand_unclosed_script_tags_leave_the_text_before_them_and_each_tag_goes_alone()
    {
        var html = "<p>FREE MONEY</p>" + string.Concat(Enumerable.Repeat("<script>x", 30_000));

        var r = HtmlText.Convert(html, 32 * 1024);

        Assert.StartsWith("FREE MONEY xxx", r.Text);
        Assert.Equal(11 + 30_000, r.Text.Length);
    }
}
