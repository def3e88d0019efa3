using System.Text;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>Reads a stored message file and separates the gateway's Received header from the client's bytes.</summary>
public static class StoredMessage
{
    /// <summary>
    /// The bytes after the gateway's own header fields: the X- headers it puts on top, then its Received: (with its
    /// folded lines). What is left is exactly what the client sent.
    /// </summary>
    public static byte[] WithoutOurReceived(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = Encoding.Latin1.GetString(bytes);
        var pos = text.StartsWith("Received: from ", StringComparison.Ordinal)
            ? 0
            : text.IndexOf("\r\nReceived: from ", StringComparison.Ordinal) + 2;
        Xunit.Assert.True(pos >= 0 && text.IndexOf("(MailGateway)", pos, StringComparison.Ordinal) > 0, "no Received header of ours");
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
