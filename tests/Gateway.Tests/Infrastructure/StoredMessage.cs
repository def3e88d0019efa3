using System.Text;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>Reads a stored message file and separates the gateway's Received header from the client's bytes.</summary>
public static class StoredMessage
{
    /// <summary>The bytes after the first header field (our Received:, with its folded lines).</summary>
    public static byte[] WithoutOurReceived(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = Encoding.Latin1.GetString(bytes);
        Xunit.Assert.StartsWith("Received: from ", text);
        var pos = 0;
        while (true)
        {
            var eol = text.IndexOf("\r\n", pos, StringComparison.Ordinal);
            pos = eol + 2;
            if (pos >= text.Length || (text[pos] != ' ' && text[pos] != '\t'))
            {
                break;
            }
        }

        return bytes[pos..];
    }
}
