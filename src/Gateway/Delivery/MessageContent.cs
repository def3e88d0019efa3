using System.Text;
using MailGateway.Gateway.Spool;

namespace MailGateway.Gateway.Delivery;

/// <summary>What a store writes: header lines the gateway adds on top, then the spooled message.</summary>
public sealed record MessageContent(string Id, IReadOnlyList<string> AddedHeaders, SpoolBuffer Body)
{
    public byte[] HeaderBytes()
    {
        if (AddedHeaders.Count == 0)
        {
            return Array.Empty<byte>();
        }

        var sb = new StringBuilder();
        foreach (var h in AddedHeaders)
        {
            sb.Append(h).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>
    /// Writes the headers and the body to <paramref name="destination"/> synchronously: for a local file that is
    /// about to be fsynced on the same thread, the async path only adds thread-pool hops.
    /// </summary>
    public void WriteTo(Stream destination, byte[] header)
    {
        if (header.Length > 0)
        {
            destination.Write(header);
        }

        Body.CopyTo(destination, 64 * 1024);
    }

    /// <summary>Writes the headers and the body to <paramref name="destination"/>.</summary>
    public async Task WriteToAsync(Stream destination, CancellationToken cancellationToken)
    {
        var header = HeaderBytes();
        if (header.Length > 0)
        {
            await destination.WriteAsync(header, cancellationToken);
        }

        await Body.CopyToAsync(destination, 64 * 1024, cancellationToken);
    }
}
