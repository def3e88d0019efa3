using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>Which next hop a recipient domain goes to: its <c>Relay:Routes</c> entry, else <c>Relay:SmartHost</c>.</summary>
public sealed class RelayRoutes
{
    private readonly Dictionary<string, NextHop> _routes = new(StringComparer.OrdinalIgnoreCase);
    private readonly NextHop? _smartHost;

    public RelayRoutes(IOptions<RelayOptions> options)
    {
        var o = options.Value;
        if (NextHop.TryParse(o.SmartHost, out var smart))
        {
            _smartHost = smart;
        }

        foreach (var (domain, hop) in o.Routes)
        {
            if (NextHop.TryParse(hop, out var parsed))
            {
                _routes[DomainName.Normalize(domain)] = parsed;
            }
        }
    }

    /// <summary>The next hop for <paramref name="address"/>; null when neither a route nor a smart host matches.</summary>
    public NextHop? For(string address)
    {
        var at = address.LastIndexOf('@');
        var domain = at < 0 ? "" : DomainName.Normalize(address[(at + 1)..]);
        return _routes.TryGetValue(domain, out var hop) ? hop : _smartHost;
    }

    /// <summary>Recipients grouped by next hop, each address once, in the order given.</summary>
    public List<QueueHop> Group(IEnumerable<string> recipients, DateTimeOffset now) =>
        recipients.Distinct(StringComparer.OrdinalIgnoreCase)
            .GroupBy(r => For(r)?.ToString() ?? "")
            .Select(g => new QueueHop { NextHop = g.Key, Recipients = g.ToList(), NextAttemptAt = now })
            .ToList();
}
