using System.Globalization;
using MailGateway.Gateway.Messages;

namespace MailGateway.Gateway.Smtp;

/// <summary>The trace header the gateway puts on top of every accepted message (RFC 5321 4.4).</summary>
public static class ReceivedHeader
{
    public static string Build(string hostName, string id, string helo, System.Net.IPAddress client, bool extended,
        bool tls, bool smtpUtf8, IReadOnlyList<MailPath> recipients, DateTimeOffset when)
    {
        // RFC 3848 / RFC 6531 protocol names.
        var protocol = (smtpUtf8 ? "UTF8SMTP" : extended ? "ESMTP" : "SMTP") + (tls ? "S" : "");
        var ip = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        var literal = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"IPv6:{ip}" : ip.ToString();
        var forClause = recipients.Count == 1 ? $"\r\n\tfor <{recipients[0].Address}>" : "";
        var date = when.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture)
                   + when.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", "");
        return $"Received: from {Sanitize(helo)} ([{literal}])\r\n\tby {hostName} (MailGateway) with {protocol} id {id}{forClause};\r\n\t{date}";
    }

    // The HELO name is client-supplied: keep it to printable ASCII without parentheses so it cannot break the header.
    private static string Sanitize(string helo)
    {
        var clean = new string(helo.Where(c => c > ' ' && c < 127 && c != '(' && c != ')' && c != ';').Take(255).ToArray());
        return clean.Length == 0 ? "unknown" : clean;
    }
}
