namespace MailGateway.Gateway.Cleanup;

/// <summary>
/// Settings of the cleanup stage (section <c>Cleanup</c>): the header fields a message from outside may not carry,
/// because they are verdicts the gateway or the internal server would trust.
/// </summary>
public sealed class CleanupOptions
{
    public const string Section = "Cleanup";

    /// <summary>The fields removed by default: our own verdicts, Exchange's organisation headers, spam and virus verdicts.</summary>
    public static readonly IReadOnlyList<string> DefaultRemovedHeaders =
        ["X-MailGateway-*", "X-MS-Exchange-Organization-*", "X-Spam-*", "X-Virus-*"];

    /// <summary>
    /// Field names to remove from every incoming message; a trailing <c>*</c> matches any rest of the name, case is
    /// ignored. Replaces the defaults when set. <c>Authentication-Results</c> fields that name this gateway's host
    /// are removed whatever this list says (RFC 8601 5).
    /// </summary>
    public List<string> RemoveHeaders { get; set; } = [];
}
