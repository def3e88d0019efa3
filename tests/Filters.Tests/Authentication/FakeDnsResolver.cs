using System.Net;
using MailGateway.Filters.Dns;

namespace MailGateway.Filters.Tests.Authentication;

/// <summary>Records a test writes down (name → values by type); names listed in <see cref="Failing"/> time out; every query is counted.</summary>
public sealed class FakeDnsResolver : IDnsResolver
{
    public Dictionary<string, List<string>> Txt { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, List<string>> A { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, List<string>> Aaaa { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, List<string>> Mx { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, List<string>> Ptr { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<string> Failing { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Queries { get; } = [];

    public FakeDnsResolver WithTxt(string name, params string[] values)
    {
        Txt[name] = [.. values];
        return this;
    }

    public FakeDnsResolver WithA(string name, params string[] values)
    {
        A[name] = [.. values];
        return this;
    }

    public Task<DnsAnswer<IPAddress>> AddressesAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Answer("A", A, name, IPAddress.Parse));

    public Task<DnsAnswer<IPAddress>> Ipv6AddressesAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Answer("AAAA", Aaaa, name, IPAddress.Parse));

    public Task<DnsAnswer<string>> TextAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Answer("TXT", Txt, name, s => s));

    public Task<DnsAnswer<string>> MailExchangesAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Answer("MX", Mx, name, s => s));

    public Task<DnsAnswer<string>> PointersAsync(IPAddress address, CancellationToken cancellationToken) =>
        Task.FromResult(Answer("PTR", Ptr, address.ToString(), s => s));

    private DnsAnswer<T> Answer<T>(string type, Dictionary<string, List<string>> records, string name, Func<string, T> parse)
    {
        Queries.Add($"{type} {name}");
        if (Failing.Contains(name))
        {
            return DnsAnswer<T>.Failed("Timeout");
        }

        return records.TryGetValue(name, out var values) && values.Count > 0
            ? new DnsAnswer<T>(DnsLookupStatus.Found, values.Select(parse).ToList())
            : DnsAnswer<T>.NotFound;
    }
}
