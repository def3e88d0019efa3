using System.Net;
using System.Text;
using MailGateway.Filters.Chain;
using MailGateway.Filters.Keywords;
using MailGateway.Filters.Tests.ConfigFiles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Tests.Keywords;

/// <summary>The keyword filter on whole messages: it reads every part a client shows, and nothing else.</summary>
public sealed class KeywordFilterTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly List<KeywordList> _lists = new();

    public void Dispose()
    {
        _lists.ForEach(list => list.Dispose());
        _directory.Dispose();
    }

    [Fact]
    public async Task A_bad_phrase_in_the_html_alternative_matches()
    {
        // Issue 17: "Hello" in text/plain, the campaign's words only in text/html.
        var message = """
            Subject: hi
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary=alt

            --alt
            Content-Type: text/plain

            Hello
            --alt
            Content-Type: text/html

            <html><body><p>Get <b>FREE</b> money now</p></body></html>
            --alt--

            """;

        var (outcome, scl) = await RunAsync(message, """{ "bad": ["free money"] }""");

        Assert.Equal("bad:\"free_money\"", outcome);
        Assert.Equal(9, scl);
    }

    [Fact]
    public async Task A_bad_phrase_in_a_second_inline_text_part_matches()
    {
        var message = """
            Subject: hi
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary=mix

            --mix
            Content-Type: text/plain

            Hello
            --mix
            Content-Type: text/plain
            Content-Disposition: inline

            claim your prize today
            --mix--

            """;

        var (outcome, scl) = await RunAsync(message, """{ "bad": ["claim your prize"] }""");

        Assert.Equal("bad:\"claim_your_prize\"", outcome);
        Assert.Equal(9, scl);
    }

    [Fact]
    public async Task A_phrase_only_in_an_attached_text_file_does_not_match()
    {
        var message = """
            Subject: minutes
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary=mix

            --mix
            Content-Type: text/plain

            Minutes attached.
            --mix
            Content-Type: text/plain; name=spam-samples.txt
            Content-Disposition: attachment; filename=spam-samples.txt

            free money
            --mix--

            """;

        var (outcome, scl) = await RunAsync(message, """{ "bad": ["free money"] }""");

        Assert.Equal("none", outcome);
        Assert.Null(scl);
    }

    [Fact]
    public async Task Html_made_to_stall_a_regex_is_read_and_its_phrase_matches()
    {
        // Issue 21 item 7: "FREE MONEY" + "<script" x 30,000 (210 KB) timed the old regex out after 1 s, the filter
        // threw and the message went on as if nothing matched.
        var html = "FREE MONEY" + string.Concat(Enumerable.Repeat("<script", 30_000));
        var message = $"Subject: offer\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n{html}\r\n";

        var (outcome, scl) = await RunAsync(message, """{ "bad": ["free money"] }""");

        Assert.Equal("bad:\"free_money\"", outcome);
        Assert.Equal(9, scl);
    }

    [Fact]
    public async Task Html_with_thousands_of_unclosed_script_tags_still_shows_the_text_before_them()
    {
        var html = "<p>FREE MONEY</p>" + string.Concat(Enumerable.Repeat("<script>x", 30_000));
        var message = $"Subject: offer\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n{html}\r\n";

        var (outcome, scl) = await RunAsync(message, """{ "bad": ["free money"] }""");

        Assert.Equal("bad:\"free_money\"", outcome);
        Assert.Equal(9, scl);
    }

    [Fact]
    public async Task An_additive_bad_phrase_adds_to_the_scl_the_model_gives_after_it()
    {
        var keywords = Keywords("""{ "bad": [ { "phrase": "free money", "scl": "+3" } ] }""");
        var model = new SetSclFilter("Model", 4);
        var chain = new FilterChain([new KeywordFilter(keywords), model],
            Options.Create(new FilterOptions { Order = ["Keywords", "Model"] }), NullLogger<FilterChain>.Instance);
        await using var context = Context("Subject: hi\r\n\r\nfree money inside\r\n");

        await chain.RunAsync(context, CancellationToken.None);

        Assert.Equal(7, context.Scl);
        Assert.False(context.IsSclForced);
        Assert.Equal(["Keywords", "Model", "SclAddition"], context.Trace.Select(t => t.Filter));
        Assert.Equal("bad+3:\"free_money\"", context.Trace[0].Outcome);
        Assert.Equal("+3", context.Trace[2].Outcome);
        Assert.Equal(4, context.Trace[2].SclBefore);
    }

    [Fact]
    public async Task An_additive_bad_phrase_is_capped_at_9_and_counts_from_0_when_nothing_else_set_an_scl()
    {
        var keywords = Keywords("""{ "bad": [ { "phrase": "free money", "scl": "+5" } ] }""");
        var options = Options.Create(new FilterOptions { Order = ["Keywords", "Model"] });

        await using var alone = Context("Subject: hi\r\n\r\nfree money\r\n");
        await new FilterChain([new KeywordFilter(keywords)], options, NullLogger<FilterChain>.Instance)
            .RunAsync(alone, CancellationToken.None);
        await using var withModel = Context("Subject: hi\r\n\r\nfree money\r\n");
        await new FilterChain([new KeywordFilter(keywords), new SetSclFilter("Model", 7)], options, NullLogger<FilterChain>.Instance)
            .RunAsync(withModel, CancellationToken.None);

        Assert.Equal(5, alone.Scl);
        Assert.Equal(9, withModel.Scl);
    }

    [Fact]
    public async Task A_forcing_bad_phrase_wins_over_an_additive_one_in_the_same_message()
    {
        var message = "Subject: free money\r\n\r\nplease claim your prize\r\n";

        var (outcome, scl) = await RunAsync(message, """{ "bad": [ { "phrase": "free money", "scl": "+2" }, "claim your prize" ] }""");

        Assert.Equal("bad:\"claim_your_prize\"", outcome);
        Assert.Equal(9, scl);
    }

    private async Task<(string Outcome, int? Scl)> RunAsync(string message, string keywordsJson)
    {
        var filter = new KeywordFilter(Keywords(keywordsJson));
        await using var context = Context(message);
        var result = await filter.RunAsync(context, CancellationToken.None);
        return (result.Outcome, context.Scl);
    }

    private KeywordList Keywords(string json)
    {
        var path = _directory.File($"keywords-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        var list = new KeywordList(new StaticOptionsMonitor<KeywordOptions>(new KeywordOptions { Path = path }), _directory.Path,
            NullLogger<KeywordList>.Instance, TimeProvider.System);
        _lists.Add(list);
        return list;
    }

    private static MessageContext Context(string raw)
    {
        var bytes = Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n"));
        return new MessageContext("k1", new MessageEnvelope("s1", IPAddress.Loopback, "helo", "a@b.test", ["c@d.test"]),
            () => new MemoryStream(bytes), bytes.Length);
    }

    private sealed class SetSclFilter(string name, int scl) : IMessageFilter
    {
        public string Name => name;

        public FilterKind Kind => FilterKind.Spam;

        public Task<FilterStepResult> RunAsync(MessageContext context, CancellationToken cancellationToken)
        {
            context.SetScl(scl);
            return Task.FromResult(FilterStepResult.Continue("ok"));
        }
    }
}
