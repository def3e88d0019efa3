namespace MailGateway.Filters.Chain;

/// <summary>What happens to a message with more MIME parts or nesting than <see cref="MimeLimitsOptions"/> allow.</summary>
public enum MimeLimitsAction
{
    /// <summary>Refused after DATA with 554 5.6.0: the sender learns why, nothing is stored.</summary>
    Reject,

    /// <summary>
    /// Kept in the archive only (250), never parsed: the security filters still run on its bytes (clamd streams it;
    /// the decoded-parts scan is skipped), the spam filters are skipped.
    /// </summary>
    Archive,
}
