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
}
