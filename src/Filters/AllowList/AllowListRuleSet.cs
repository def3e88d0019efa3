using System.Net;

namespace MailGateway.Filters.AllowList;

/// <summary>The rules of one side (allow or block), indexed for lookup: sets for addresses and domains, a list of networks.</summary>
internal sealed class AllowListRuleSet
{
    /// <summary>The key of the null sender (<c>MAIL FROM:&lt;&gt;</c>) among the addresses.</summary>
    internal const string NullSender = "<>";

    private readonly Dictionary<string, AllowListRule> _senders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AllowListRule> _domains = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AllowListRule> _subdomainParents = new(StringComparer.Ordinal);
    private readonly List<(IPNetwork Network, AllowListRule Rule)> _networks = [];

    /// <summary>Rules on this side.</summary>
    public int Count => _senders.Count + _domains.Count + _subdomainParents.Count + _networks.Count;

    public void AddSender(string normalizedAddress, AllowListRule rule) => _senders.TryAdd(normalizedAddress, rule);

    public void AddDomain(string normalizedDomain, AllowListRule rule) => _domains.TryAdd(normalizedDomain, rule);

    public void AddSubdomainsOf(string normalizedDomain, AllowListRule rule) => _subdomainParents.TryAdd(normalizedDomain, rule);

    public void AddNetwork(IPNetwork network, AllowListRule rule)
    {
        if (!_networks.Exists(n => n.Network == network))
        {
            _networks.Add((network, rule));
        }
    }

    /// <summary>The rule matching a sender (address, then its domain, then its parent domains), or null.</summary>
    public AllowListRule? MatchSender(SenderAddress sender)
    {
        if (_senders.TryGetValue(sender.Address, out var rule))
        {
            return rule;
        }

        if (sender.Domain is not { } domain)
        {
            return null;
        }

        if (_domains.TryGetValue(domain, out rule))
        {
            return rule;
        }

        if (_subdomainParents.Count > 0)
        {
            var lookup = _subdomainParents.GetAlternateLookup<ReadOnlySpan<char>>();
            var rest = domain.AsSpan();
            for (var dot = rest.IndexOf('.'); dot >= 0; dot = rest.IndexOf('.'))
            {
                rest = rest[(dot + 1)..];
                if (lookup.TryGetValue(rest, out rule))
                {
                    return rule;
                }
            }
        }

        return null;
    }

    /// <summary>The first network rule containing <paramref name="address"/> (IPv4-mapped addresses already unmapped), or null.</summary>
    public AllowListRule? MatchAddress(IPAddress address)
    {
        foreach (var (network, rule) in _networks)
        {
            if (network.Contains(address))
            {
                return rule;
            }
        }

        return null;
    }
}
