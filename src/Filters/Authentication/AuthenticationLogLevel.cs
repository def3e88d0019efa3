using Microsoft.Extensions.Logging;

namespace MailGateway.Filters.Authentication;

/// <summary>
/// The level of a sender-authentication stage's per-message event. Every message's outcome of every stage is already in
/// the gateway's one Information event per message (its trace), in the tracking store and in /metrics; a pass or a
/// missing record ("none") is logged again only at Debug, anything else (fail, softfail, neutral, temperror,
/// permerror, policy) at Information, where an administrator looks for it.
/// </summary>
public static class AuthenticationLogLevel
{
    public static LogLevel Of(string result) =>
        result is "pass" or "none" ? LogLevel.Debug : LogLevel.Information;
}
