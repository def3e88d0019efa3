using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MailGateway.Gateway.Admin;

/// <summary><c>/healthz</c>: the process answers.</summary>
public static class HealthEndpoints
{
    public static void Map(WebApplication app) =>
        app.MapGet("/healthz", () => Results.Json(new { status = "ok" }));
}
