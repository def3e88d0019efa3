using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MailGateway.Gateway.Admin;

/// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: it can take mail (JSON says which check failed).</summary>
public static class HealthEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Json(new { status = "ok" }));
        app.MapGet("/readyz", async (HttpContext http) =>
        {
            var checks = await http.RequestServices.GetRequiredService<ReadinessChecks>().RunAsync(http.RequestAborted);
            var ready = checks.Values.All(c => c.Ok);
            return Results.Json(new
            {
                status = ready ? "ready" : "not ready",
                checks = checks.ToDictionary(c => c.Key, c => new { ok = c.Value.Ok, detail = c.Value.Detail }),
            }, statusCode: ready ? 200 : 503);
        });
    }
}
