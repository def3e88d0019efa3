using System.Net;

namespace MailGateway.Gateway.Configuration;

/// <summary>A set of client networks from configuration: each entry a CIDR (10.0.0.0/8) or a single address.</summary>
public sealed class NetworkList
{
    private readonly IReadOnlyList<IPNetwork> _networks;

    public NetworkList(IEnumerable<string> entries) => _networks = entries.Select(e =>
        TryParse(e, out var n) ? n : throw new FormatException($"'{e}' is not an address or a network")).ToList();

    public bool Contains(IPAddress address)
    {
        var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(n => n.Contains(a));
    }

    public static bool TryParse(string entry, out IPNetwork network)
    {
        if (IPAddress.TryParse(entry, out var single))
        {
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(entry, out network);
    }
}
