namespace MailGateway.Filters.Antivirus;

/// <summary>clamd broke the protocol: closed the connection without a reply, or sent an over-long reply.</summary>
public sealed class ClamdProtocolException : IOException
{
    /// <summary>Creates the exception.</summary>
    public ClamdProtocolException(string message)
        : base(message)
    {
    }
}
