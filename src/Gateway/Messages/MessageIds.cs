namespace MailGateway.Gateway.Messages;

/// <summary>Queue ids: time-ordered (UUIDv7), unique across processes, safe as file names.</summary>
public static class MessageIds
{
    public static string New() => Guid.CreateVersion7().ToString("N");
}
