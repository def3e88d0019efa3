using System.Net;
using System.Text;
using MailGateway.Filters.Bulk;
using MailGateway.Filters.Chain;

namespace MailGateway.Filters.Tests.Bulk;

public class BulkFilterTests
{
    private const string Newsletter =
        "From: Shop <news@shop.example>\r\nTo: jane@example.org\r\nSubject: autumn\r\n" +
        "List-Unsubscribe: <https://shop.example/u>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" +
        "Feedback-ID: 1:2:news\r\nMessage-ID: <x@a.sendgrid.net>\r\n\r\nNew coats. Unsubscribe: https://shop.example/u\r\n";

    [Fact]
    public async Task A_newsletter_gets_its_bcl_of_8_in_the_context_the_header_and_the_trace_and_its_scl_is_left_alone()
    {
        await using var context = Context(Newsletter);
        context.SetScl(2);

        var result = await new BulkFilter().RunAsync(context, CancellationToken.None);

        Assert.Equal(8, context.Bcl);
        Assert.Equal(2, context.Scl);
        Assert.Contains("X-MailGateway-BCL: 8", context.AddedHeaders);
        Assert.Equal("bcl-8:list-unsubscribe+one-click+feedback-id+esp+unsubscribe-link", result.Outcome);
    }

    [Fact]
    public async Task A_personal_letter_is_bcl_0()
    {
        await using var context = Context("From: bob@example.com\r\nSubject: lunch\r\n\r\nnoon?\r\n");

        var result = await new BulkFilter().RunAsync(context, CancellationToken.None);

        Assert.Equal(0, context.Bcl);
        Assert.Contains("X-MailGateway-BCL: 0", context.AddedHeaders);
        Assert.Equal("bcl-0", result.Outcome);
    }

    [Fact]
    public void The_bulk_stage_runs_by_default_after_the_model() =>
        Assert.True(Array.IndexOf(FilterOptions.DefaultOrder, "Bulk") > Array.IndexOf(FilterOptions.DefaultOrder, "Model"));

    private static MessageContext Context(string raw) =>
        new("b1", new MessageEnvelope("s1", IPAddress.Loopback, "helo", "a@b.test", ["c@d.test"]),
            () => new MemoryStream(Encoding.ASCII.GetBytes(raw)), raw.Length);
}
