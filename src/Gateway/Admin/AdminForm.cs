using MailGateway.Gateway.Configuration;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static System.Net.WebUtility;

namespace MailGateway.Gateway.Admin;

/// <summary>
/// The rules every state-changing console request follows, in one place: each form carries an anti-forgery token
/// (<see cref="TokenField"/>), and a POST is taken only with a valid token (form field and cookie) and an Origin (or
/// Referer) naming the host it was sent to; without a bearer token in use one of the two must be there. Every
/// action is logged once: what, on what, who (the bearer token or a loopback client) and from where.
/// </summary>
public static class AdminForm
{
    /// <summary>The hidden input to put in every form; the matching cookie is set on the response.</summary>
    public static string TokenField(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return $"<input type=hidden name=\"{HtmlEncode(tokens.FormFieldName)}\" value=\"{HtmlEncode(tokens.RequestToken)}\">";
    }

    /// <summary>Returns the refusal of a forged or foreign request, or null to go on.</summary>
    public static async Task<IResult?> RefusedAsync(HttpContext http, IAntiforgery antiforgery, AdminOptions options,
        ILogger logger, string action, string target)
    {
        string? why = null;
        var status = StatusCodes.Status403Forbidden;
        var source = http.Request.Headers.Origin.ToString() is { Length: > 0 } origin ? origin : http.Request.Headers.Referer.ToString();
        if (source.Length > 0)
        {
            if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.Authority != http.Request.Host.Value)
            {
                why = $"foreign origin {source}";
            }
        }
        else if (string.IsNullOrWhiteSpace(options.Token))
        {
            why = "no Origin or Referer";
        }

        if (why is null && !await antiforgery.IsRequestValidAsync(http))
        {
            why = "missing or invalid anti-forgery token";
            status = StatusCodes.Status400BadRequest;
        }

        if (why is null)
        {
            return null;
        }

        logger.LogWarning("Admin {Action} of {MessageId} refused for {Actor} from {ClientIp}: {Reason}",
            action, target, Actor(options), http.Connection.RemoteIpAddress, why);
        return Results.Text(why + "\n", statusCode: status);
    }

    public static void Log(ILogger logger, HttpContext http, AdminOptions options, string action, string target, string outcome) =>
        logger.LogInformation("Admin {Action} of {MessageId} by {Actor} from {ClientIp}: {Outcome}",
            action, target, Actor(options), http.Connection.RemoteIpAddress, outcome);

    /// <summary>Who acts, for logs and records: with a token set every request that got this far carried it (AdminTokenMiddleware).</summary>
    public static string Actor(AdminOptions options) => string.IsNullOrWhiteSpace(options.Token) ? "loopback" : "token";
}
