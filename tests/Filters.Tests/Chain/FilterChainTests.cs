using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using MailGateway.Filters.Chain;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Tests.Chain;

public class FilterChainTests
{
    private sealed class FakeFilter(string name, FilterKind kind, Func<MessageContext, FilterStepResult> run) : IMessageFilter
    {
        public int Calls { get; private set; }

        public string Name => name;

        public FilterKind Kind => kind;

        public Task<FilterStepResult> RunAsync(MessageContext context, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(run(context));
        }
    }

    private static MessageContext Context(string raw = "Subject: hi\r\n\r\nhello\r\n", bool internalClient = false) =>
        new("id1", new MessageEnvelope("s1", IPAddress.Loopback, "helo", "a@b.test", ["c@d.test"], internalClient),
            () => new MemoryStream(Encoding.ASCII.GetBytes(raw)), raw.Length);

    private static FilterChain Chain(IEnumerable<IMessageFilter> filters, params string[] order) =>
        new(filters, Options.Create(new FilterOptions { Order = order.ToList() }), NullLogger<FilterChain>.Instance);

    [Fact]
    public async Task Filters_run_in_the_configured_order_and_each_leaves_a_trace_entry()
    {
        var a = new FakeFilter("A", FilterKind.Spam, c => { c.SetScl(3); return FilterStepResult.Continue("a"); });
        var b = new FakeFilter("B", FilterKind.Spam, c => { c.SetScl(5); return FilterStepResult.Continue("b"); });
        await using var context = Context();
        await Chain([a, b], "B", "A").RunAsync(context, CancellationToken.None);
        Assert.Equal(["B", "A"], context.Trace.Select(t => t.Filter));
        Assert.Equal(3, context.Scl);
        Assert.Equal((int?)null, context.Trace[0].SclBefore);
        Assert.Equal(5, context.Trace[0].SclAfter);
        Assert.Matches(@"^B=b\(none->5\)\[\d+us\]$", context.Trace[0].ToString());
    }

    [Fact]
    public async Task A_failing_spam_filter_is_traced_and_the_others_still_run()
    {
        var broken = new FakeFilter("Broken", FilterKind.Spam, _ => throw new InvalidOperationException("boom"));
        var after = new FakeFilter("After", FilterKind.Spam, c => { c.SetScl(2); return FilterStepResult.Continue("ok"); });
        await using var context = Context();
        await Chain([broken, after], "Broken", "After").RunAsync(context, CancellationToken.None);
        Assert.Equal("error", context.Trace[0].Outcome);
        Assert.Equal(1, after.Calls);
        Assert.Null(context.Decision);
        Assert.Equal(2, context.Scl);
    }

    [Fact]
    public async Task A_failing_security_filter_refuses_with_451_and_nothing_after_it_runs()
    {
        var av = new FakeFilter("Antivirus", FilterKind.Security, _ => throw new IOException("clamd vanished"));
        var after = new FakeFilter("After", FilterKind.Spam, _ => FilterStepResult.Continue("ok"));
        await using var context = Context();
        await Chain([av, after], "Antivirus", "After").RunAsync(context, CancellationToken.None);
        var refuse = Assert.IsType<RefuseDecision>(context.Decision);
        Assert.Equal(451, refuse.Code);
        Assert.Equal("4.7.1", refuse.EnhancedCode);
        Assert.Equal(0, after.Calls);
    }

    [Fact]
    public async Task A_spam_filter_configured_to_fail_closed_refuses_with_451_and_the_error_is_counted()
    {
        var broken = new FakeFilter("Keywords", FilterKind.Spam, _ => throw new InvalidOperationException("boom"));
        var after = new FakeFilter("Model", FilterKind.Spam, _ => FilterStepResult.Continue("ok"));
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = meters.GetRequiredService<IMeterFactory>();
        var errors = new List<string?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "mailgateway.filter.errors")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => errors.Add(tags[0].Value as string));
        listener.Start();
        var options = new FilterOptions { Order = ["Keywords", "Model"] };
        options.OnError["keywords"] = FilterErrorAction.TempFail;
        var chain = new FilterChain([broken, after], Options.Create(options), NullLogger<FilterChain>.Instance,
            new FilterMetrics(factory));
        await using var context = Context();

        await chain.RunAsync(context, CancellationToken.None);

        var refuse = Assert.IsType<RefuseDecision>(context.Decision);
        Assert.Equal((451, "4.7.1"), (refuse.Code, refuse.EnhancedCode));
        Assert.Equal("error", context.Trace[0].Outcome);
        Assert.Equal(0, after.Calls);
        Assert.Equal(["Keywords"], errors);
    }

    [Fact]
    public async Task A_security_filter_configured_to_fail_open_lets_the_message_go_on()
    {
        var av = new FakeFilter("Antivirus", FilterKind.Security, _ => throw new IOException("clamd vanished"));
        var after = new FakeFilter("Model", FilterKind.Spam, _ => FilterStepResult.Continue("ok"));
        var options = new FilterOptions { Order = ["Antivirus", "Model"] };
        options.OnError["Antivirus"] = FilterErrorAction.Continue;
        await using var context = Context();

        await new FilterChain([av, after], Options.Create(options), NullLogger<FilterChain>.Instance)
            .RunAsync(context, CancellationToken.None);

        Assert.Null(context.Decision);
        Assert.Equal("error", context.Trace[0].Outcome);
        Assert.Equal(1, after.Calls);
    }

    [Fact]
    public void Filters_on_error_is_bound_from_configuration_per_filter_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Filters:OnError:Keywords"] = "TempFail",
            ["Filters:OnError:Antivirus"] = "Continue",
        }).Build();
        var options = new FilterOptions();
        configuration.GetSection(FilterOptions.Section).Bind(options);

        Assert.Equal(FilterErrorAction.TempFail, options.ErrorActionFor("keywords", FilterKind.Spam));
        Assert.Equal(FilterErrorAction.Continue, options.ErrorActionFor("Antivirus", FilterKind.Security));
        Assert.Equal(FilterErrorAction.Continue, options.ErrorActionFor("Model", FilterKind.Spam));
        Assert.Equal(FilterErrorAction.TempFail, options.ErrorActionFor("Other", FilterKind.Security));
    }

    [Fact]
    public async Task A_trusted_message_skips_spam_filters_but_not_security_filters()
    {
        var allow = new FakeFilter("AllowList", FilterKind.Policy, c => { c.MarkTrusted(); return FilterStepResult.Continue("allowed"); });
        var av = new FakeFilter("Antivirus", FilterKind.Security, _ => FilterStepResult.Continue("clean"));
        var spam = new FakeFilter("Model", FilterKind.Spam, c => { c.SetScl(9); return FilterStepResult.Continue("p=1"); });
        await using var context = Context();
        await Chain([allow, av, spam], "AllowList", "Antivirus", "Model").RunAsync(context, CancellationToken.None);
        Assert.Equal(1, av.Calls);
        Assert.Equal(0, spam.Calls);
        Assert.Equal(-1, context.Scl);
        Assert.Equal("skipped-trusted", context.Trace[2].Outcome);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Sender_authentication_is_not_run_for_mail_from_the_relay_networks(bool internalClient)
    {
        var spf = new FakeFilter("Spf", FilterKind.SenderAuthentication, _ => FilterStepResult.Continue("pass"));
        var allow = new FakeFilter("AllowList", FilterKind.Policy, _ => FilterStepResult.Continue("none"));
        var av = new FakeFilter("Antivirus", FilterKind.Security, _ => FilterStepResult.Continue("clean"));
        var spam = new FakeFilter("Model", FilterKind.Spam, c => { c.SetScl(2); return FilterStepResult.Continue("p=0.1"); });
        var dmarc = new FakeFilter("Dmarc", FilterKind.SenderAuthentication, _ => FilterStepResult.Continue("pass"));
        await using var context = Context(internalClient: internalClient);
        await Chain([spf, allow, av, spam, dmarc], "Spf", "AllowList", "Antivirus", "Model", "Dmarc")
            .RunAsync(context, CancellationToken.None);

        var ran = internalClient ? 0 : 1;
        Assert.Equal((ran, ran), (spf.Calls, dmarc.Calls));
        Assert.Equal((1, 1, 1), (allow.Calls, av.Calls, spam.Calls)); // the other kinds run for internal mail as before
        var expected = internalClient ? "skipped-internal" : "pass";
        Assert.Equal(["Spf", "AllowList", "Antivirus", "Model", "Dmarc"], context.Trace.Select(t => t.Filter));
        Assert.Equal((expected, expected), (context.Trace[0].Outcome, context.Trace[4].Outcome));
        Assert.Equal(2, context.Scl);
    }

    [Fact]
    public async Task Sender_authentication_still_runs_for_a_trusted_message()
    {
        var allow = new FakeFilter("AllowList", FilterKind.Policy, c => { c.MarkTrusted(); return FilterStepResult.Continue("allowed"); });
        var spam = new FakeFilter("Model", FilterKind.Spam, c => { c.SetScl(9); return FilterStepResult.Continue("p=1"); });
        var dmarc = new FakeFilter("Dmarc", FilterKind.SenderAuthentication, _ => FilterStepResult.Continue("pass"));
        await using var context = Context();
        await Chain([allow, spam, dmarc], "AllowList", "Model", "Dmarc").RunAsync(context, CancellationToken.None);
        Assert.Equal(-1, context.Scl);
        Assert.Equal(0, spam.Calls);
        Assert.Equal(1, dmarc.Calls);
        Assert.Equal(["allowed", "skipped-trusted", "pass"], context.Trace.Select(t => t.Outcome));
    }

    [Fact]
    public async Task A_failing_sender_authentication_filter_is_traced_and_the_message_goes_on_like_policy()
    {
        var spf = new FakeFilter("Spf", FilterKind.SenderAuthentication, _ => throw new InvalidOperationException("boom"));
        var after = new FakeFilter("Model", FilterKind.Spam, _ => FilterStepResult.Continue("ok"));
        await using var context = Context();
        await Chain([spf, after], "Spf", "Model").RunAsync(context, CancellationToken.None);
        Assert.Equal("error", context.Trace[0].Outcome);
        Assert.Equal(1, after.Calls);
        Assert.Null(context.Decision);
        Assert.Equal(FilterErrorAction.Continue, new FilterOptions().ErrorActionFor("Spf", FilterKind.SenderAuthentication));
        Assert.Equal(FilterErrorAction.Continue, new FilterOptions().ErrorActionFor("Spf", FilterKind.Policy));
    }

    [Fact]
    public async Task A_decision_ends_the_chain()
    {
        var av = new FakeFilter("Antivirus", FilterKind.Security, c =>
        {
            c.Decision = new RefuseDecision(554, "5.7.1", "virus");
            return FilterStepResult.Continue("infected");
        });
        var spam = new FakeFilter("Model", FilterKind.Spam, _ => FilterStepResult.Continue("p=0"));
        await using var context = Context();
        await Chain([av, spam], "Antivirus", "Model").RunAsync(context, CancellationToken.None);
        Assert.Equal(0, spam.Calls);
    }

    [Fact]
    public async Task A_forced_scl_is_not_changed_by_later_filters()
    {
        await using var context = Context();
        context.ForceScl(9);
        context.SetScl(1);
        Assert.Equal(9, context.Scl);
        Assert.True(context.IsSclForced);
    }

    [Fact]
    public async Task The_message_is_parsed_once_and_shared_by_every_filter()
    {
        var opened = 0;
        var raw = "Subject: once\r\n\r\nbody text\r\n";
        await using var context = new MessageContext("id2",
            new MessageEnvelope("s1", IPAddress.Loopback, "helo", "a@b.test", ["c@d.test"]),
            () => { opened++; return new MemoryStream(Encoding.ASCII.GetBytes(raw)); }, raw.Length);
        var first = await context.GetMimeMessageAsync(CancellationToken.None);
        var second = await context.GetMimeMessageAsync(CancellationToken.None);
        var text = await context.GetVisibleTextAsync(CancellationToken.None);
        var features = await context.GetFeaturesAsync(CancellationToken.None);
        Assert.Same(first, second);
        Assert.Equal(1, opened);
        Assert.Equal("once", first!.Subject);
        Assert.Contains("body text", text);
        Assert.Equal("once", features.Subject);
    }
}
