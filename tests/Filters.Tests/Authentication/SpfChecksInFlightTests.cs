using System.Net;
using MailGateway.Filters.Dns;
using MailGateway.Filters.Spf;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Tests.Authentication;

/// <summary>SPF started when DATA begins: the filter takes the evaluation that ran while the body arrived.</summary>
public class SpfChecksInFlightTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.1");

    /// <summary>A resolver whose TXT answers wait until the test lets them through, counting the questions.</summary>
    private sealed class HeldResolver(FakeDnsResolver records) : IDnsResolver
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int TextQueries;

        public async Task<DnsAnswer<string>> TextAsync(string name, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref TextQueries);
            await Release.Task.WaitAsync(cancellationToken);
            return await records.TextAsync(name, cancellationToken);
        }

        public Task<DnsAnswer<IPAddress>> AddressesAsync(string name, CancellationToken cancellationToken) => records.AddressesAsync(name, cancellationToken);

        public Task<DnsAnswer<IPAddress>> Ipv6AddressesAsync(string name, CancellationToken cancellationToken) => records.Ipv6AddressesAsync(name, cancellationToken);

        public Task<DnsAnswer<string>> MailExchangesAsync(string name, CancellationToken cancellationToken) => records.MailExchangesAsync(name, cancellationToken);

        public Task<DnsAnswer<string>> PointersAsync(IPAddress address, CancellationToken cancellationToken) => records.PointersAsync(address, cancellationToken);
    }

    private static SpfChecksInFlight Checks(IDnsResolver dns, bool enabled = true, int timeoutSeconds = 20) =>
        new(new SpfEvaluator(dns), Options.Create(new SpfOptions { Enabled = enabled, TimeoutSeconds = timeoutSeconds }),
            TimeProvider.System);

    [Fact]
    public async Task The_evaluation_starts_at_data_and_the_filter_takes_it_without_asking_again()
    {
        var dns = new HeldResolver(new FakeDnsResolver().WithTxt("example.com", "v=spf1 ip4:192.0.2.0/24 -all"));
        var checks = Checks(dns);

        checks.Start(Client, "mail.example.com", "user@example.com");
        Assert.Equal(1, dns.TextQueries); // asked before any byte of the body, while it is still unanswered
        var taken = checks.TakeOrEvaluateAsync(Client, "user@example.com", "mail.example.com", CancellationToken.None);
        Assert.False(taken.IsCompleted);

        dns.Release.SetResult();
        Assert.Equal(SpfResult.Pass, (await taken).Result);
        Assert.Equal(1, dns.TextQueries);
        Assert.Equal(0, checks.Waiting);

        // Taken once: the next message of the same envelope is evaluated again.
        Assert.Equal(SpfResult.Pass, (await checks.TakeOrEvaluateAsync(Client, "user@example.com", "mail.example.com",
            CancellationToken.None)).Result);
        Assert.Equal(2, dns.TextQueries);
    }

    [Fact]
    public async Task Another_envelope_is_evaluated_on_its_own()
    {
        var dns = new FakeDnsResolver().WithTxt("example.com", "v=spf1 ip4:192.0.2.0/24 -all");
        var checks = Checks(dns);
        checks.Start(Client, "mail.example.com", "user@example.com");

        var other = await checks.TakeOrEvaluateAsync(IPAddress.Parse("198.51.100.7"), "user@example.com", "mail.example.com",
            CancellationToken.None);
        Assert.Equal(SpfResult.Fail, other.Result);
        Assert.Equal(1, checks.Waiting);
    }

    [Fact]
    public void Nothing_starts_when_spf_is_off()
    {
        // Mail from the relay networks starts nothing either: the session does not call Start for it.
        var dns = new FakeDnsResolver().WithTxt("example.com", "v=spf1 -all");
        Checks(dns, enabled: false).Start(Client, "mail.example.com", "user@example.com");
        Assert.Empty(dns.Queries);
    }

    [Fact]
    public async Task A_started_evaluation_past_its_timeout_is_a_temperror_not_a_hang()
    {
        var dns = new HeldResolver(new FakeDnsResolver().WithTxt("example.com", "v=spf1 -all"));
        var checks = Checks(dns, timeoutSeconds: 1);
        checks.Start(Client, "mail.example.com", "user@example.com");

        var verdict = await checks.TakeOrEvaluateAsync(Client, "user@example.com", "mail.example.com", CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(SpfResult.TempError, verdict.Result);
        Assert.Contains("no answer within 1 s", verdict.Reason);
    }
}
