namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>Whether a queue file starts with an envelope record.</summary>
public enum QueueEnvelopeKind
{
    /// <summary>No <c>X-MailGateway-Queue:</c> line: the previous version's layout (envelope only in the .json).</summary>
    None,

    /// <summary>The line is there and holds this file's entry.</summary>
    Valid,

    /// <summary>The line is there but cut short, not JSON, or for another id: the file cannot be trusted.</summary>
    Invalid,
}
