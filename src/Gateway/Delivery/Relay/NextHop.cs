using System.Globalization;
using MailGateway.Gateway.Configuration;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>An SMTP server the relay delivers to: <c>host:port</c>, port 25 when omitted.</summary>
public sealed record NextHop(string Host, int Port)
{
    public static bool TryParse(string? text, out NextHop hop)
    {
        hop = new NextHop("", 25);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var host = text;
        var port = 25;
        var colon = text.LastIndexOf(':');
        if (colon >= 0 && text.IndexOf(':') == colon)
        {
            host = text[..colon];
            if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port)
                || port is < 1 or > 65535)
            {
                return false;
            }
        }

        if (!DomainName.IsValid(host) && !System.Net.IPAddress.TryParse(host, out _))
        {
            return false;
        }

        hop = new NextHop(host, port);
        return true;
    }

    public override string ToString() => $"{Host}:{Port}";
}
