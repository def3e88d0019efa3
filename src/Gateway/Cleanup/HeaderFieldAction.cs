namespace MailGateway.Gateway.Cleanup;

/// <summary>What the cleanup stage does with one incoming header field.</summary>
public enum HeaderFieldAction
{
    Keep,
    Remove,

    /// <summary>Held until its authserv-id is read: removed when it names this gateway.</summary>
    RemoveIfOurs,
}
