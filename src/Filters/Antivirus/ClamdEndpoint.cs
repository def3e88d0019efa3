namespace MailGateway.Filters.Antivirus;

/// <summary>Where clamd listens: a TCP host and port, or a unix socket path (which wins when set).</summary>
/// <param name="Host">TCP host name or address.</param>
/// <param name="Port">TCP port.</param>
/// <param name="SocketPath">Unix socket path, or null for TCP.</param>
public sealed record ClamdEndpoint(string Host, int Port, string? SocketPath = null)
{
    /// <summary>A TCP endpoint.</summary>
    public static ClamdEndpoint Tcp(string host, int port) => new(host, port);

    /// <summary>A unix socket endpoint (clamd's <c>LocalSocket</c>).</summary>
    public static ClamdEndpoint Unix(string socketPath) => new(string.Empty, 0, socketPath);

    /// <summary>The endpoint the options name.</summary>
    public static ClamdEndpoint FromOptions(AntivirusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.SocketPath)
            ? Tcp(options.Host, options.Port)
            : Unix(options.SocketPath);
    }

    /// <summary>Whether this is a unix socket.</summary>
    public bool IsUnixSocket => SocketPath is not null;

    /// <summary><c>host:port</c> or <c>unix:path</c>, for logs.</summary>
    public override string ToString() => IsUnixSocket ? $"unix:{SocketPath}" : $"{Host}:{Port}";
}
