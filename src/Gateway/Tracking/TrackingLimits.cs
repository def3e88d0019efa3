using System.Net;
using System.Net.Sockets;

namespace MailGateway.Gateway.Tracking;

/// <summary>
/// Bounds on what one record stores, whatever the message says (a 1 MB subject is kept as its first 256 characters),
/// and the normalisations the searches rely on.
/// </summary>
public static class TrackingLimits
{
    public const int SubjectChars = 256;
    public const int AddressChars = 320;
    public const int HeaderMessageIdChars = 256;
    public const int DetailChars = 512;
    public const int TextChars = 256;
    public const int TraceChars = 2048;
    public const int RecipientsPerMessage = 1000;

    /// <summary>The first <paramref name="max"/> characters, control characters as spaces; never a split surrogate pair.</summary>
    public static string Bound(string? text, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var cut = text.Length <= max ? text : text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];
        return string.Create(cut.Length, cut, (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = char.IsControl(s[i]) ? ' ' : s[i];
            }
        });
    }

    /// <summary>A Message-ID as searched: trimmed, without its angle brackets.</summary>
    public static string HeaderMessageId(string? value) => Bound(value?.Trim().Trim('<', '>').Trim(), HeaderMessageIdChars);

    /// <summary>The domain of an address, lower case; empty for the null sender.</summary>
    public static string Domain(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? "" : address[(at + 1)..].ToLowerInvariant();
    }

    /// <summary>The client's /24 (IPv4, IPv4-mapped too) or /48 (IPv6), as <c>192.0.2.0/24</c>.</summary>
    public static string Network(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            bytes[3] = 0;
            return $"{new IPAddress(bytes)}/24";
        }

        Array.Clear(bytes, 6, bytes.Length - 6);
        return $"{new IPAddress(bytes)}/48";
    }
}
