namespace MailGateway.Gateway.Smtp;

/// <summary>The message a BDAT transaction is building: its chunks so far, line ends made CRLF on the way in.</summary>
public sealed class ChunkedMessage : IDisposable
{
    public ChunkedMessage(IncomingMessage message)
    {
        Message = message;
        Content = new LineEndingNormalizer(message.Content);
    }

    public IncomingMessage Message { get; }

    public LineEndingNormalizer Content { get; }

    /// <summary>Octets announced by the chunks so far (those past the size limit are read but not kept).</summary>
    public long Bytes { get; set; }

    public void Dispose() => Message.Dispose();
}
