using System.Net;
using MailGateway.Filters.Chain;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Tests.Chain;

/// <summary>Issue 21 item 8: a message with more MIME parts than allowed is decided on before MimeKit builds its tree.</summary>
public sealed class MimeLimitsTests
{
    [Fact]
    public void Four_hundred_thousand_parts_are_refused_with_554_5_6_0_allocating_under_50_MB()
    {
        // 400,000 parts (about 16 MB): MimeKit's first parse used to take 3.2 s and grow the gateway by about 650 MB.
        var bytes = MimeStructureScannerTests.ManyParts(400_000);
        var parser = new ParsingFilter("Model", FilterKind.Spam);
        var chain = Chain(new MimeLimitsOptions(), parser);
        RunOnce(chain, MimeStructureScannerTests.ManyParts(10)); // JIT and first-use allocations out of the measurement

        // Everything below completes synchronously over a MemoryStream, so it is all on this thread.
        var callsBefore = parser.Calls;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var (decision, trace) = RunOnce(chain, bytes);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var refuse = Assert.IsType<RefuseDecision>(decision);
        Assert.Equal((554, "5.6.0"), (refuse.Code, refuse.EnhancedCode));
        Assert.Equal("MimeLimits=over-mime-limits(parts>10000)", trace.Split('[')[0]);
        Assert.Equal(callsBefore, parser.Calls);
        Assert.True(allocated < 50L * 1024 * 1024, $"allocated {allocated / (1024 * 1024)} MB for {bytes.Length / (1024 * 1024)} MB of 400,000 parts");
    }

    [Fact]
    public async Task Under_archive_the_security_filters_run_the_spam_filters_do_not_and_the_message_is_archived_unparsed()
    {
        var bytes = MimeStructureScannerTests.ManyParts(2_000);
        var security = new ParsingFilter("Antivirus", FilterKind.Security);
        var spam = new ParsingFilter("Model", FilterKind.Spam);
        var chain = Chain(new MimeLimitsOptions { MaxParts = 1_000, Action = MimeLimitsAction.Archive }, security, spam);
        await using var context = Context(bytes);

        await chain.RunAsync(context, CancellationToken.None);

        var archive = Assert.IsType<ArchiveDecision>(context.Decision);
        Assert.Equal("over-mime-limits(parts>1000)", archive.Reason);
        Assert.Equal((1, 0), (security.Calls, spam.Calls));
        Assert.Null(security.Parsed);
        Assert.Equal(["MimeLimits", "Antivirus", "Model"], context.Trace.Select(t => t.Filter));
        Assert.Equal("skipped-mime-limits", context.Trace[2].Outcome);
    }

    [Fact]
    public async Task A_virus_found_in_an_archived_message_still_decides()
    {
        var security = new ParsingFilter("Antivirus", FilterKind.Security,
            c => c.Decision = new RefuseDecision(554, "5.7.1", "virus"));
        var chain = Chain(new MimeLimitsOptions { MaxParts = 10, Action = MimeLimitsAction.Archive }, security);
        await using var context = Context(MimeStructureScannerTests.ManyParts(20));

        await chain.RunAsync(context, CancellationToken.None);

        Assert.Equal(554, Assert.IsType<RefuseDecision>(context.Decision).Code);
    }

    [Fact]
    public async Task A_message_within_the_limits_is_parsed_as_before()
    {
        var parser = new ParsingFilter("Model", FilterKind.Spam);
        await using var context = Context(MimeStructureScannerTests.ManyParts(9_000));

        await Chain(new MimeLimitsOptions(), parser).RunAsync(context, CancellationToken.None);

        Assert.Null(context.Decision);
        Assert.Null(context.MimeLimitsExceeded);
        Assert.NotNull(parser.Parsed);
        Assert.Equal(9_000, parser.Parsed!.BodyParts.Count());
    }

    private static (FilterDecision? Decision, string Trace) RunOnce(FilterChain chain, byte[] bytes)
    {
        var context = Context(bytes);
        try
        {
            var run = chain.RunAsync(context, CancellationToken.None);
            Assert.True(run.IsCompleted, "the chain did not complete synchronously: the allocation figure would miss work");
            run.GetAwaiter().GetResult();
            return (context.Decision, string.Join(' ', context.Trace));
        }
        finally
        {
            context.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static FilterChain Chain(MimeLimitsOptions limits, params IMessageFilter[] filters) =>
        new(filters, Options.Create(new FilterOptions { Order = filters.Select(f => f.Name).ToList(), MimeLimits = limits }),
            NullLogger<FilterChain>.Instance);

    private static MessageContext Context(byte[] bytes) =>
        new("m1", new MessageEnvelope("s1", IPAddress.Loopback, "helo", "a@b.test", ["c@d.test"]),
            () => new MemoryStream(bytes, writable: false), bytes.Length);

    /// <summary>A filter that asks for the parsed message, as the antivirus and model filters do.</summary>
    private sealed class ParsingFilter(string name, FilterKind kind, Action<MessageContext>? then = null) : IMessageFilter
    {
        public int Calls { get; private set; }

        public MimeKit.MimeMessage? Parsed { get; private set; }

        public string Name => name;

        public FilterKind Kind => kind;

        public async Task<FilterStepResult> RunAsync(MessageContext context, CancellationToken cancellationToken)
        {
            Calls++;
            Parsed = await context.GetMimeMessageAsync(cancellationToken);
            then?.Invoke(context);
            return FilterStepResult.Continue("ok");
        }
    }
}
