using System.Net;

namespace MailGateway.Gateway.Configuration;

/// <summary>The <c>Admin</c> section: the HTTP port for health, metrics and the archive pages.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>One URL, or several separated by ';' as Kestrel takes them.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8025";

    /// <summary>Bearer token every admin request must carry; required when the admin port listens off loopback.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// Host names the admin pages answer to besides <c>localhost</c>, IP literals and the host names in <see cref="Url"/>
    /// (e.g. the name a reverse proxy forwards). Any other Host header is refused, so a DNS name that an attacker
    /// points at this machine (DNS rebinding) cannot reach the pages from the attacker's origin.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>The URLs of <see cref="Url"/>.</summary>
    public IReadOnlyList<string> Urls =>
        Url.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>True when every URL binds only a loopback address.</summary>
    public bool IsLoopbackOnly => Urls.Count > 0 && Urls.All(IsLoopbackUrl);

    /// <summary>True for a URL whose host is <c>localhost</c> or a loopback IP address (never a wildcard).</summary>
    public static bool IsLoopbackUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
