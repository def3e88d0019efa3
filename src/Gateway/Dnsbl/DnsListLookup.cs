using System.Net;
using System.Net.Sockets;
using System.Text;
using MailGateway.Filters.Dns;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Dnsbl;

/// <summary>
/// Looks a client address up on every configured block and allow list at once (RFC 5782: the address's octets, or
/// an IPv6 address's nibbles, reversed, under the zone) and adds up the weights.
/// </summary>
public sealed class DnsListLookup(DnsResolver resolver, IOptions<DnsblOptions> options)
{
    public bool HasZones => options.Value.Zones.Count > 0;

    public async Task<DnsListScore> ScoreAsync(IPAddress client, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var name = ReversedName(client);
        var blocks = o.Zones.Select(z => AskAsync(z, name, cancellationToken)).ToArray();
        var allows = o.AllowZones.Select(z => AskAsync(z, name, cancellationToken)).ToArray();
        var blockAnswers = await Task.WhenAll(blocks);
        var allowAnswers = await Task.WhenAll(allows);

        var listedBy = blockAnswers.Where(a => a.Listed).OrderByDescending(a => a.Zone.Weight).ToList();
        var weight = listedBy.Sum(a => a.Zone.Weight) - allowAnswers.Where(a => a.Listed).Sum(a => a.Zone.Weight);
        var unanswered = blockAnswers.Concat(allowAnswers).Where(a => a.Failed).Select(a => a.Zone.Zone).ToList();
        return new DnsListScore(weight, listedBy.Select(a => a.Zone.Zone).ToList(), unanswered);
    }

    /// <summary>The name to look up under a zone: <c>2.0.0.127</c> for 127.0.0.2; 32 nibbles for IPv6.</summary>
    public static string ReversedName(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return $"{bytes[3]}.{bytes[2]}.{bytes[1]}.{bytes[0]}";
        }

        var name = new StringBuilder(64);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            name.Append("0123456789abcdef"[bytes[i] & 0xF]).Append('.').Append("0123456789abcdef"[bytes[i] >> 4]).Append('.');
        }

        return name.ToString(0, name.Length - 1);
    }

    private async Task<(DnsListZone Zone, bool Listed, bool Failed)> AskAsync(DnsListZone zone, string name,
        CancellationToken cancellationToken)
    {
        var answer = await resolver.AddressesAsync($"{name}.{zone.Zone}", cancellationToken);
        if (answer.Status == DnsLookupStatus.TemporaryFailure)
        {
            return (zone, false, true);
        }

        var listed = answer.Values.Any(a => a.GetAddressBytes() is [127, _, _, _]
            && (zone.ReturnCodes.Count == 0 || zone.ReturnCodes.Contains(a.ToString())));
        return (zone, listed, false);
    }
}
