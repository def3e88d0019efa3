using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Dns;

/// <summary>
/// The shared resolver over DnsClient: async, cached by each record's TTL (and negative answers for
/// <c>Dns:NegativeCacheSeconds</c>), one timeout per query. Every answer is
/// sorted into found, not found (NXDOMAIN or no data) and temporary failure, so no stage can mistake a resolver that
/// is down for a name that does not exist.
/// </summary>
public sealed class DnsResolver : IDnsResolver
{
    private readonly LookupClient _client;
    private readonly DnsMetrics _metrics;

    public DnsResolver(IOptions<DnsOptions> options, DnsMetrics metrics)
    {
        var o = options.Value;
        var servers = o.Servers.Select(s => new NameServer(IPEndPoint.Parse(s))).ToArray();
        var lookup = servers.Length > 0 ? new LookupClientOptions(servers) : new LookupClientOptions();
        lookup.Timeout = TimeSpan.FromMilliseconds(o.TimeoutMilliseconds);
        lookup.Retries = o.Retries;
        lookup.UseCache = true;
        lookup.CacheFailedResults = o.NegativeCacheSeconds > 0;
        lookup.FailedResultsCacheDuration = TimeSpan.FromSeconds(Math.Max(o.NegativeCacheSeconds, 1));
        lookup.ThrowDnsErrors = false;
        lookup.ContinueOnDnsError = false;
        lookup.UseTcpFallback = true;
        _client = new LookupClient(lookup);
        _metrics = metrics;
    }

    /// <summary>The IPv4 addresses of <paramref name="name"/> (A records).</summary>
    public async Task<DnsAnswer<IPAddress>> AddressesAsync(string name, CancellationToken cancellationToken)
    {
        var answer = await QueryAsync(name, QueryType.A, cancellationToken,
            r => r.Answers.ARecords().Select(a => a.Address));
        return answer;
    }

    /// <summary>The IPv6 addresses of <paramref name="name"/> (AAAA records).</summary>
    public Task<DnsAnswer<IPAddress>> Ipv6AddressesAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync(name, QueryType.AAAA, cancellationToken, r => r.Answers.AaaaRecords().Select(a => a.Address));

    /// <summary>The mail exchangers of <paramref name="name"/>, lowest preference first, without the trailing dot.</summary>
    public Task<DnsAnswer<string>> MailExchangesAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync(name, QueryType.MX, cancellationToken, r => r.Answers.MxRecords().OrderBy(m => m.Preference)
            .Select(m => m.Exchange.Value.TrimEnd('.')));

    /// <summary>The names of <paramref name="address"/> (PTR records under in-addr.arpa or ip6.arpa).</summary>
    public Task<DnsAnswer<string>> PointersAsync(IPAddress address, CancellationToken cancellationToken) =>
        QueryAsync(address.GetArpaName(), QueryType.PTR, cancellationToken,
            r => r.Answers.PtrRecords().Select(p => p.PtrDomainName.Value.TrimEnd('.')));

    /// <summary>The TXT records of <paramref name="name"/>, each record's strings joined (RFC 7208 3.3).</summary>
    public Task<DnsAnswer<string>> TextAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync(name, QueryType.TXT, cancellationToken, r => r.Answers.TxtRecords().Select(t => string.Concat(t.Text)));

    private async Task<DnsAnswer<T>> QueryAsync<T>(string name, QueryType type, CancellationToken cancellationToken,
        Func<IDnsQueryResponse, IEnumerable<T>> values)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        DnsAnswer<T> answer;
        try
        {
            var response = await _client.QueryAsync(name, type, QueryClass.IN, cancellationToken);
            answer = response.Header.ResponseCode switch
            {
                DnsHeaderResponseCode.NoError => values(response).ToList() is { Count: > 0 } found
                    ? new DnsAnswer<T>(DnsLookupStatus.Found, found)
                    : DnsAnswer<T>.NotFound,
                DnsHeaderResponseCode.NotExistentDomain => DnsAnswer<T>.NotFound,
                var code => DnsAnswer<T>.Failed(code.ToString()),
            };
        }
        catch (DnsResponseException ex)
        {
            answer = DnsAnswer<T>.Failed(ex.Code.ToString());
        }
        catch (ArgumentException)
        {
            // Not a name DNS can carry (a label over 63 octets, an SPF macro expanding to odd text): it cannot exist.
            answer = DnsAnswer<T>.NotFound;
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or TimeoutException
                                       or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            answer = DnsAnswer<T>.Failed(ex.GetType().Name);
        }

        _metrics.Lookup(type.ToString(), answer.Status, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return answer;
    }
}
