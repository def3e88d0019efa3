using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MailGateway.Gateway.Admin;

/// <summary>With <c>Admin:Token</c> set, every admin request but /healthz needs <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
public sealed class AdminTokenMiddleware(RequestDelegate next, string token)
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes("Bearer " + token);

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/healthz"))
        {
            await next(context);
            return;
        }

        var given = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
        if (!CryptographicOperations.FixedTimeEquals(given, _expected))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return;
        }

        await next(context);
    }
}
