namespace MailGateway.Gateway.Routing;

/// <summary>Where a message goes after filtering.</summary>
public enum MessageRoute
{
    Inbox,
    Junk,
    Archive,
    Reject,
}
