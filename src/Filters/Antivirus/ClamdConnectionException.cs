using System.Net.Sockets;

namespace MailGateway.Filters.Antivirus;

/// <summary>clamd could not be reached: nothing listens on its socket, or the connection was refused.</summary>
public sealed class ClamdConnectionException : IOException
{
    /// <summary>Creates the exception for <paramref name="endpoint"/>.</summary>
    public ClamdConnectionException(ClamdEndpoint endpoint, SocketException innerException)
        : base($"clamd at {endpoint} is unreachable: {innerException?.Message}", innerException)
    {
        Endpoint = endpoint;
    }

    /// <summary>The endpoint that could not be reached.</summary>
    public ClamdEndpoint Endpoint { get; }
}
