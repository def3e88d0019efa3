using System.Text;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>
/// What the gateway's cleanup stage must leave of a CRLF message, written here independently of it: the header
/// lines (up to the first empty line) of the default verdict fields and of Authentication-Results naming the test
/// host dropped with their continuation lines, everything else byte for byte.
/// </summary>
public static class VerdictHeaders
{
    private static readonly string[] Prefixes = ["x-mailgateway-", "x-ms-exchange-organization-", "x-spam-", "x-virus-"];

    public static byte[] Removed(byte[] message, string hostName = "gw.test")
    {
        var text = Encoding.Latin1.GetString(message);
        var output = new StringBuilder(text.Length);
        var pos = 0;
        var dropping = false;
        while (pos < text.Length)
        {
            var eol = text.IndexOf("\r\n", pos, StringComparison.Ordinal);
            var end = eol < 0 ? text.Length : eol + 2;
            var line = text[pos..end];
            if (line == "\r\n")
            {
                output.Append(text[pos..]);
                break;
            }

            if (line[0] is not (' ' or '\t'))
            {
                var colon = line.IndexOf(':');
                var name = colon < 0 ? "" : line[..colon].TrimEnd(' ', '\t').ToLowerInvariant();
                dropping = colon > 0 && (Prefixes.Any(name.StartsWith)
                    || name == "authentication-results" && AuthServId(text, pos + colon + 1) == hostName.ToLowerInvariant());
            }

            if (!dropping)
            {
                output.Append(line);
            }

            pos = end;
        }

        return Encoding.Latin1.GetBytes(output.ToString());
    }

    private static string AuthServId(string text, int from)
    {
        var rest = text[from..Math.Min(text.Length, from + 300)].TrimStart(' ', '\t', '\r', '\n');
        var end = rest.IndexOfAny([';', ' ', '\t', '\r']);
        return (end < 0 ? rest : rest[..end]).ToLowerInvariant();
    }
}
