using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MailGateway.Filters.AllowList;

/// <summary>
/// Reads <c>allowlist.json</c>: <c>{ "allow": { "senders": [], "domains": [], "ips": [] }, "block": { ... } }</c>.
/// Comments and trailing commas are allowed; unknown keys and malformed entries are errors naming the entry
/// (<c>block.ips[2]</c>), so a typo never silently drops a rule.
/// </summary>
public static class AllowListFile
{
    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Parses the file's bytes (UTF-8) into a policy.</summary>
    /// <exception cref="InvalidDataException">The JSON or an entry is invalid; the message says where.</exception>
    public static AllowListPolicy Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(utf8Json, SerializerOptions);
        }
        catch (JsonException exception)
        {
            var where = exception.LineNumber is { } line ? $" at line {line + 1}, position {exception.BytePositionInLine + 1}" : string.Empty;
            var message = exception.Message;
            var path = message.IndexOf(" Path:", StringComparison.Ordinal);
            throw new InvalidDataException($"invalid JSON{where}: {(path < 0 ? message : message[..path])}", exception);
        }

        if (document is null)
        {
            throw new InvalidDataException("the file must contain an object { \"allow\": {...}, \"block\": {...} }, not null.");
        }

        return new AllowListPolicy(
            Build(document.Allow, AllowListVerdict.Allowed, "allow"),
            Build(document.Block, AllowListVerdict.Blocked, "block"));
    }

    private static AllowListRuleSet Build(Side? side, AllowListVerdict verdict, string name)
    {
        var rules = new AllowListRuleSet();
        if (side is null)
        {
            return rules;
        }

        foreach (var (entry, where) in Entries(side.Senders, $"{name}.senders"))
        {
            var address = entry.Trim();
            var rule = new AllowListRule(verdict, AllowListRuleKind.SenderAddress, address);
            if (address == AllowListRuleSet.NullSender)
            {
                rules.AddSender(AllowListRuleSet.NullSender, rule);
                continue;
            }

            var at = address.LastIndexOf('@');
            if (at <= 0 || at == address.Length - 1 || address.Any(c => char.IsWhiteSpace(c) || c is '<' or '>' or ',' or '*'))
            {
                throw new InvalidDataException($"{where}: \"{entry}\" is not an address (local@domain) or <> (the null sender).");
            }

            CheckDomain(address[(at + 1)..].TrimEnd('.'), entry, where);
            rules.AddSender(SenderAddress.Parse(address).Address, rule);
        }

        foreach (var (entry, where) in Entries(side.Domains, $"{name}.domains"))
        {
            var domain = entry.Trim().ToLowerInvariant().TrimEnd('.');
            if (domain.StartsWith("*.", StringComparison.Ordinal))
            {
                var parent = domain[2..];
                CheckDomain(parent, entry, where);
                rules.AddSubdomainsOf(parent, new AllowListRule(verdict, AllowListRuleKind.SenderSubdomains, entry.Trim()));
            }
            else
            {
                CheckDomain(domain, entry, where);
                rules.AddDomain(domain, new AllowListRule(verdict, AllowListRuleKind.SenderDomain, entry.Trim()));
            }
        }

        foreach (var (entry, where) in Entries(side.Ips, $"{name}.ips"))
        {
            rules.AddNetwork(ParseNetwork(entry.Trim(), where), new AllowListRule(verdict, AllowListRuleKind.ClientNetwork, entry.Trim()));
        }

        return rules;
    }

    private static IEnumerable<(string Entry, string Where)> Entries(List<string?>? list, string name)
    {
        for (var i = 0; i < (list?.Count ?? 0); i++)
        {
            var entry = list![i];
            if (string.IsNullOrWhiteSpace(entry))
            {
                throw new InvalidDataException($"{name}[{i}] is empty.");
            }

            yield return (entry, $"{name}[{i}]");
        }
    }

    private static void CheckDomain(string domain, string entry, string where)
    {
        var labels = domain.Split('.');
        var valid = domain.Length is > 0 and <= 253
            && labels.All(label => label.Length is > 0 and <= 63
                && label.All(c => char.IsLetterOrDigit(c) || c is '-' or '_'));
        if (!valid)
        {
            var hint = entry.Contains('*', StringComparison.Ordinal) || entry.TrimStart().StartsWith('.')
                ? " (write *.example.com for the subdomains of example.com)"
                : string.Empty;
            throw new InvalidDataException($"{where}: \"{entry}\" is not a domain name{hint}.");
        }
    }

    private static IPNetwork ParseNetwork(string entry, string where)
    {
        var slash = entry.IndexOf('/');
        var addressText = slash < 0 ? entry : entry[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%', StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{where}: \"{entry}\" is not an IP address or CIDR network (192.0.2.0/24, 2001:db8::/32).");
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(entry.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out prefix) || prefix > maxPrefix))
        {
            throw new InvalidDataException($"{where}: \"{entry}\" has an invalid prefix length (0 to {maxPrefix}).");
        }

        // Clients arrive unmapped (::ffff:192.0.2.1 is compared as 192.0.2.1), so a mapped rule is kept as IPv4.
        if (address.IsIPv4MappedToIPv6 && prefix >= 96)
        {
            address = address.MapToIPv4();
            prefix -= 96;
        }

        var network = new IPNetwork(Masked(address, prefix), prefix);
        if (!network.BaseAddress.Equals(address))
        {
            throw new InvalidDataException(
                $"{where}: \"{entry}\" has bits set after the prefix; the network is {network}.");
        }

        return network;
    }

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }

        return new IPAddress(bytes);
    }

    private sealed class Document
    {
        public Side? Allow { get; set; }

        public Side? Block { get; set; }
    }

    private sealed class Side
    {
        public List<string?>? Senders { get; set; }

        public List<string?>? Domains { get; set; }

        public List<string?>? Ips { get; set; }
    }
}
