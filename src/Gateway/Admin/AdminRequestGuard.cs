using System.Net;
using MailGateway.Gateway.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Admin;

/// <summary>
/// First on every admin request: nothing is served before <see cref="AdminBindings"/> has passed the bound addresses;
/// a Host header outside the allow-list is refused (DNS rebinding); every response forbids framing and sniffing.
/// </summary>
public sealed class AdminRequestGuard(RequestDelegate next, AdminBindings bindings, IOptions<AdminOptions> options)
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private readonly HashSet<string> _hosts = AllowedHosts(options.Value);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!await bindings.Checked.WaitAsync(context.RequestAborted))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        // Our own pages keep sending Referer to us (the state-changing check falls back on it); nobody else gets it.
        headers["Referrer-Policy"] = "same-origin";

        if (!IsAllowed(context.Request.Host.Host))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("unknown Host\n");
            return;
        }

        await next(context);
    }

    // An IP literal cannot be rebound: the browser's origin then is this machine's own address.
    private bool IsAllowed(string host) =>
        host.Length > 0 && (_hosts.Contains(host) || IPAddress.TryParse(host.Trim('[', ']'), out _));

    private static HashSet<string> AllowedHosts(AdminOptions o)
    {
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost" };
        foreach (var url in o.Urls)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                hosts.Add(uri.Host);
            }
        }

        hosts.UnionWith(o.AllowedHosts);
        return hosts;
    }
}
