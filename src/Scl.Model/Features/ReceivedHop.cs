using System.Text.RegularExpressions;

namespace MailGateway.Scl.Model.Features;

/// <summary>
/// Reads a Received header's <c>from HELO (rdns [ip])</c> clause: how the relaying host greeted (a bare address, a
/// word that is no host name), whether the receiving host doubted it, and whether it had reverse DNS or a host name
/// built from its address as providers name dial-up/DSL/cable customers. Only evidence that points the same way in
/// every collection with both ham and spam is read (docs/scl-model.md, "Sender and relay evidence").
/// </summary>
internal static partial class ReceivedHop
{
    /// <summary>What <see cref="AddRelayHostFlags"/> can say, in the order the flags are kept.</summary>
    public static readonly string[] FlagOrder =
    [
        "helo-ip", "no-rdns", "ip-in-rdns", "helo-word", "may-be-forged",
    ];

    /// <summary>Adds what one Received header's <c>from HELO (rdns [ip])</c> clause says about the sending host.</summary>
    public static void AddRelayHostFlags(string received, List<string> flags)
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

        if (Ipv4().Match(helo) is { Success: true } h && h.Length == helo.Length)
        {
            DistinctList.Add(flags, "helo-ip");
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
        // "(user@host [ip])": an ident answer before the host name.
        rdns = rdns[(rdns.LastIndexOf('@') + 1)..];
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
