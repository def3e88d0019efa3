using System.Text.RegularExpressions;

namespace MailGateway.Scl.Model.Features;

/// <summary>
/// Reads a Received header's <c>from HELO (rdns [ip])</c> clause: how the relaying host greeted (a bare address,
/// another address than it connected from, a word that is no host name), whether it had reverse DNS or a host name
/// built from its address as providers name dial-up/DSL/cable customers, and whether that name (which a sender cannot
/// choose) or only the greeting (which it can) belongs to the From domain's organisation.
/// </summary>
internal static partial class ReceivedHop
{
    /// <summary>What <see cref="AddRelayHostFlags"/> can say, in the order the flags are kept.</summary>
    public static readonly string[] FlagOrder =
    [
        "helo-ip", "no-rdns", "ip-in-rdns", "helo-ip-mismatch", "helo-word", "may-be-forged", "rdns-from-org", "helo-from-org-only",
    ];

    /// <summary>Adds what one Received header's <c>from HELO (rdns [ip])</c> clause says about the sending host.</summary>
    public static void AddRelayHostFlags(string received, List<string> flags, string fromDomain = "")
    {
        var from = ReceivedFrom().Match(received);
        if (!from.Success)
        {
            return;
        }

        var helo = from.Groups[1].Value.Trim('[', ']');
        var clause = from.Groups[2].Value.Trim();
        var ip = Ipv4().Match(clause);
        if (!ip.Success)
        {
            return;
        }

        var heloIsAddress = Ipv4().Match(helo) is { Success: true } h && h.Length == helo.Length;
        if (heloIsAddress)
        {
            DistinctList.Add(flags, "helo-ip");
            if (helo != ip.Value)
            {
                DistinctList.Add(flags, "helo-ip-mismatch");
            }
        }
        else if (!helo.Contains('.'))
        {
            DistinctList.Add(flags, "helo-word");
        }

        if (clause.Contains("may be forged", StringComparison.OrdinalIgnoreCase))
        {
            DistinctList.Add(flags, "may-be-forged");
        }

        var rdns = clause.StartsWith('[') ? "" : clause.Split(' ', 2)[0].Trim().TrimEnd('.').ToLowerInvariant();
        rdns = rdns[(rdns.LastIndexOf('@') + 1)..];
        var hasRdns = !(rdns.Length == 0 || rdns == "unknown" || !rdns.Contains('.') || Ipv4().Match(rdns).Length == rdns.Length);
        if (hasRdns && fromDomain.Length > 0 && DomainNames.SameOrganisation(rdns, fromDomain))
        {
            DistinctList.Add(flags, "rdns-from-org");
        }
        else if (!heloIsAddress && helo.Contains('.') && fromDomain.Length > 0 && DomainNames.SameOrganisation(helo, fromDomain))
        {
            DistinctList.Add(flags, "helo-from-org-only");
        }

        if (!hasRdns)
        {
            DistinctList.Add(flags, "no-rdns");
            return;
        }

        // A host name that spells out the address's last two bytes (d-c-b-a.pool.isp, a.b.c.d.dsl.isp ...).
        var labels = rdns.Split('.', '-');
        if (labels.Contains(ip.Groups[3].Value) && labels.Contains(ip.Groups[4].Value))
        {
            DistinctList.Add(flags, "ip-in-rdns");
        }
    }

    [GeneratedRegex(@"^\s*from\s+(\S+)\s+\(([^)]{1,300})\)", RegexOptions.IgnoreCase)]
    private static partial Regex ReceivedFrom();

    [GeneratedRegex(@"(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})")]
    private static partial Regex Ipv4();
}
