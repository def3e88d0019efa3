using System.Text.RegularExpressions;

namespace MailGateway.Scl.Model.Features;

/// <summary>
/// Reads a Received header's <c>from HELO (rdns [ip])</c> clause: whether the relaying host greeted with a bare
/// address, had no reverse DNS, or a host name built from its address as providers name dial-up/DSL/cable customers.
/// </summary>
internal static partial class ReceivedHop
{
    /// <summary>Adds what one Received header's <c>from HELO (rdns [ip])</c> clause says about the sending host.</summary>
    public static void AddRelayHostFlags(string received, List<string> flags)
    {
        var from = ReceivedFrom().Match(received);
        if (!from.Success)
        {
            return;
        }

        var helo = from.Groups[1].Value;
        var clause = from.Groups[2].Value.Trim();
        var ip = Ipv4().Match(clause);
        if (!ip.Success)
        {
            return;
        }

        if (Ipv4().Match(helo) is { Success: true } h && h.Length == helo.Trim('[', ']').Length)
        {
            DistinctList.Add(flags, "helo-ip");
        }

        var rdns = clause.StartsWith('[') ? "" : clause.Split(' ', 2)[0].Trim().TrimEnd('.').ToLowerInvariant();
        if (rdns.Length == 0 || rdns == "unknown" || !rdns.Contains('.') || Ipv4().Match(rdns).Length == rdns.Length)
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
