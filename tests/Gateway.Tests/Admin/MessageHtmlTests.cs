using MailGateway.Gateway.Admin;

namespace MailGateway.Gateway.Tests.Admin;

public class MessageHtmlTests
{
    [Theory]
    [InlineData("<script>alert(1)</script><p>x</p>", "<script")]
    [InlineData("<p onclick=\"alert(1)\">x</p>", "onclick")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>", "javascript:")]
    [InlineData("<img src=\"https://tracker.example/p.gif\">", "tracker.example")]
    [InlineData("<p style=\"background:url(https://tracker.example/bg)\">x</p>", "tracker.example")]
    [InlineData("<style>@import url(https://tracker.example/a.css)</style><p>x</p>", "tracker.example")]
    [InlineData("<meta http-equiv=refresh content=\"0;url=https://tracker.example/\">", "tracker.example")]
    [InlineData("<form action=\"https://tracker.example/f\"><input name=q></form>", "<form")]
    [InlineData("<form action=\"https://tracker.example/f\"><input name=q></form>", "<input")]
    [InlineData("<svg><image href=\"https://tracker.example/i.png\"/></svg>", "tracker.example")]
    [InlineData("<table background=\"https://tracker.example/t.png\"><tr><td>x</td></tr></table>", "tracker.example")]
    [InlineData("<a href=\"https://tracker.example/x\" ping=\"https://ping.example/\">x</a>", "ping.example")]
    [InlineData("<video poster=\"https://tracker.example/p.png\"></video>", "tracker.example")]
    [InlineData("<base href=\"https://tracker.example/\"><p>x</p>", "<base")]
    public void Nothing_that_runs_or_fetches_survives(string html, string forbidden)
    {
        var rendered = MessageHtml.Render(html);

        Assert.DoesNotContain(forbidden, rendered, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Images_become_placeholders_and_links_keep_their_target_only_as_a_tooltip()
    {
        var rendered = MessageHtml.Render(
            "<p>Hi <b>there</b></p><img src=\"cid:logo\" alt=\"logo\"><img src=\"http://x.test/a.gif\"><a href=\"https://shop.test/\">shop</a>");

        Assert.Contains("<p>Hi <b>there</b></p>", rendered);
        Assert.Contains("[inline image: logo]", rendered);
        Assert.Contains("[remote image, not loaded]", rendered);
        Assert.Contains("<a title=\"https://shop.test/\" class=\"mailgw-link\">shop</a>", rendered);
        Assert.DoesNotContain("<img", rendered);
    }
}
