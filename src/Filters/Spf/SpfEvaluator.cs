using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MailGateway.Filters.Dns;

namespace MailGateway.Filters.Spf;

/// <summary>
/// RFC 7208's check_host() over the shared resolver. One evaluation counts the DNS-querying terms (include, a, mx,
/// ptr, exists, redirect; at most 10) and the void lookups (at most 2) across every include and redirect; past either
/// limit, or on any syntax error, the result is permerror. A resolver failure is temperror. exp= is not evaluated
/// (the explanation is only for a 550 text, and the gateway writes its own).
/// </summary>
public sealed class SpfEvaluator(IDnsResolver dns)
{
    /// <summary>
    /// Checks the MAIL FROM identity, or <c>postmaster@</c> the HELO name when MAIL FROM is the null sender
    /// (RFC 7208 2.4).
    /// </summary>
    public async Task<SpfVerdict> CheckAsync(IPAddress client, string mailFrom, string helo, CancellationToken cancellationToken)
    {
        var scope = mailFrom.Length == 0 ? "helo" : "mailfrom";
        var sender = mailFrom.Length == 0 ? "postmaster@" + helo : mailFrom;
        var at = sender.LastIndexOf('@');
        var domain = at < 0 ? sender : sender[(at + 1)..];
        var identity = mailFrom.Length == 0 ? helo : mailFrom;
        if (!IsDomain(domain))
        {
            return new SpfVerdict(SpfResult.None, scope, identity, domain, "not a domain");
        }

        var (result, reason) = await CheckHostAsync(client, domain, sender, helo, cancellationToken);
        return new SpfVerdict(result, scope, identity, domain.ToLowerInvariant(), reason);
    }

    /// <summary>check_host(ip, domain, sender) of RFC 7208 section 4.</summary>
    public async Task<(SpfResult Result, string Reason)> CheckHostAsync(IPAddress client, string domain, string sender,
        string helo, CancellationToken cancellationToken)
    {
        var session = new Session(client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client, sender, helo, cancellationToken);
        try
        {
            return await session.CheckHostAsync(domain, this);
        }
        catch (SpfException ex)
        {
            return (ex.Result, ex.Message);
        }
    }

    internal static bool IsDomain(string name)
    {
        if (name.Length is 0 or > 253 || !name.Contains('.'))
        {
            return false;
        }

        var labels = name.TrimEnd('.').Split('.');
        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63 || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        // An address literal or a bare IP address (HELO [192.0.2.1], HELO 192.0.2.1) is not a domain (RFC 7208 4.3).
        return !labels[^1].All(char.IsAsciiDigit);
    }

    private sealed class Session(IPAddress client, string sender, string helo, CancellationToken cancellationToken)
    {
        private int _dnsTerms;
        private int _voids;

        public async Task<(SpfResult, string)> CheckHostAsync(string domain, SpfEvaluator evaluator)
        {
            if (!IsDomain(domain))
            {
                return (SpfResult.None, $"'{domain}' is not a domain");
            }

            var txt = await evaluator.Dns.TextAsync(domain, cancellationToken);
            if (txt.Status == DnsLookupStatus.TemporaryFailure)
            {
                throw new SpfException(SpfResult.TempError, $"TXT {domain}: {txt.Error}");
            }

            var records = txt.Values.Where(IsSpfRecord).ToList();
            if (records.Count == 0)
            {
                return (SpfResult.None, $"no SPF record at {domain}");
            }

            if (records.Count > 1)
            {
                throw new SpfException(SpfResult.PermError, $"{records.Count} SPF records at {domain}");
            }

            var record = SpfRecord.Parse(records[0], domain);
            var values = Values(domain);
            foreach (var directive in record.Directives)
            {
                if (await MatchesAsync(directive, domain, values, evaluator))
                {
                    return (directive.Qualifier, $"{domain}: {directive.Text}");
                }
            }

            if (record.Redirect is { } redirect)
            {
                CountDnsTerm();
                var target = SpfMacro.Expand(redirect, values);
                var (result, reason) = await CheckHostAsync(target, evaluator);
                // RFC 7208 6.1: a redirect to a domain without a record is a permerror.
                return result == SpfResult.None ? (SpfResult.PermError, $"redirect to {target}: {reason}") : (result, reason);
            }

            return (SpfResult.Neutral, $"{domain}: no mechanism matched");
        }

        private SpfMacroValues Values(string domain)
        {
            var at = sender.LastIndexOf('@');
            var local = at <= 0 ? "postmaster" : sender[..at];
            return new SpfMacroValues(client, sender, local, at < 0 ? sender : sender[(at + 1)..], domain, helo);
        }

        private async Task<bool> MatchesAsync(SpfDirective d, string domain, SpfMacroValues values, SpfEvaluator evaluator)
        {
            switch (d.Mechanism)
            {
                case "all":
                    return true;
                case "ip4":
                case "ip6":
                    return client.AddressFamily == d.Network!.AddressFamily && InNetwork(client, d.Network, d.Prefix);
                case "include":
                    {
                        CountDnsTerm();
                        var target = SpfMacro.Expand(d.Argument!, values);
                        var (result, reason) = await CheckHostAsync(target, evaluator);
                        return result switch
                        {
                            SpfResult.Pass => true,
                            SpfResult.Fail or SpfResult.SoftFail or SpfResult.Neutral => false,
                            SpfResult.TempError => throw new SpfException(SpfResult.TempError, reason),
                            _ => throw new SpfException(SpfResult.PermError, $"include:{target}: {reason}"),
                        };
                    }
                case "a":
                    {
                        CountDnsTerm();
                        var target = d.Argument is null ? domain : SpfMacro.Expand(d.Argument, values);
                        var addresses = await AddressesAsync(target, evaluator, countVoid: true);
                        return addresses.Any(a => InNetwork(client, a, Prefix(d)));
                    }
                case "mx":
                    {
                        CountDnsTerm();
                        var target = d.Argument is null ? domain : SpfMacro.Expand(d.Argument, values);
                        var mx = await evaluator.Dns.MailExchangesAsync(target, cancellationToken);
                        var names = Checked(mx, "MX", target);
                        if (names.Count > SpfLimits.NamesPerMechanism)
                        {
                            throw new SpfException(SpfResult.PermError, $"mx:{target}: more than {SpfLimits.NamesPerMechanism} MX records");
                        }

                        foreach (var name in names)
                        {
                            if ((await AddressesAsync(name, evaluator, countVoid: false)).Any(a => InNetwork(client, a, Prefix(d))))
                            {
                                return true;
                            }
                        }

                        return false;
                    }
                case "ptr":
                    {
                        CountDnsTerm();
                        var target = d.Argument is null ? domain : SpfMacro.Expand(d.Argument, values);
                        var ptr = await evaluator.Dns.PointersAsync(client, cancellationToken);
                        // RFC 7208 5.5: a failed PTR lookup means no match, not an error.
                        if (ptr.Status != DnsLookupStatus.Found)
                        {
                            if (ptr.Status == DnsLookupStatus.NotFound)
                            {
                                CountVoid(target);
                            }

                            return false;
                        }

                        foreach (var name in ptr.Values.Take(SpfLimits.NamesPerMechanism))
                        {
                            if (!name.Equals(target, StringComparison.OrdinalIgnoreCase)
                                && !name.EndsWith("." + target, StringComparison.OrdinalIgnoreCase))
                            {
                                continue;
                            }

                            var forward = client.AddressFamily == AddressFamily.InterNetwork
                                ? await evaluator.Dns.AddressesAsync(name, cancellationToken)
                                : await evaluator.Dns.Ipv6AddressesAsync(name, cancellationToken);
                            if (forward.Values.Contains(client))
                            {
                                return true;
                            }
                        }

                        return false;
                    }
                case "exists":
                    {
                        CountDnsTerm();
                        var target = SpfMacro.Expand(d.Argument!, values);
                        var a = await evaluator.Dns.AddressesAsync(target, cancellationToken);
                        return Checked(a, "A", target).Count > 0;
                    }
                default:
                    throw new SpfException(SpfResult.PermError, $"unknown mechanism {d.Mechanism}");
            }
        }

        private int Prefix(SpfDirective d) => client.AddressFamily == AddressFamily.InterNetwork ? d.Prefix : d.Prefix6;

        private async Task<IReadOnlyList<IPAddress>> AddressesAsync(string name, SpfEvaluator evaluator, bool countVoid)
        {
            var answer = client.AddressFamily == AddressFamily.InterNetwork
                ? await evaluator.Dns.AddressesAsync(name, cancellationToken)
                : await evaluator.Dns.Ipv6AddressesAsync(name, cancellationToken);
            if (!countVoid && answer.Status == DnsLookupStatus.NotFound)
            {
                return [];
            }

            return Checked(answer, client.AddressFamily == AddressFamily.InterNetwork ? "A" : "AAAA", name);
        }

        private IReadOnlyList<T> Checked<T>(DnsAnswer<T> answer, string type, string name)
        {
            switch (answer.Status)
            {
                case DnsLookupStatus.TemporaryFailure:
                    throw new SpfException(SpfResult.TempError, $"{type} {name}: {answer.Error}");
                case DnsLookupStatus.NotFound:
                    CountVoid(name);
                    return [];
                default:
                    return answer.Values;
            }
        }

        private void CountDnsTerm()
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (++_dnsTerms > SpfLimits.DnsMechanisms)
            {
                throw new SpfException(SpfResult.PermError, $"more than {SpfLimits.DnsMechanisms} DNS-querying terms");
            }
        }

        private void CountVoid(string name)
        {
            if (++_voids > SpfLimits.VoidLookups)
            {
                throw new SpfException(SpfResult.PermError, $"more than {SpfLimits.VoidLookups} void lookups (last {name})");
            }
        }
    }

    private IDnsResolver Dns => dns;

    private static bool IsSpfRecord(string txt) =>
        txt.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (txt.Length == 6 || txt[6] == ' ');

    internal static bool InNetwork(IPAddress address, IPAddress network, int prefix)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var whole = prefix / 8;
        for (var i = 0; i < whole; i++)
        {
            if (a[i] != n[i])
            {
                return false;
            }
        }

        var bits = prefix % 8;
        if (bits == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - bits));
        return (a[whole] & mask) == (n[whole] & mask);
    }

    internal static int ParsePrefix(string text, int max, string term)
    {
        if (text.Length is 0 or > 3 || !text.All(char.IsAsciiDigit) || (text.Length > 1 && text[0] == '0')
            || int.Parse(text, CultureInfo.InvariantCulture) is var n && n > max)
        {
            throw new SpfException(SpfResult.PermError, $"bad CIDR length in '{term}'");
        }

        return n;
    }
}
