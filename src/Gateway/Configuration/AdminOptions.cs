namespace MailGateway.Gateway.Configuration;

/// <summary>The <c>Admin</c> section: the HTTP port for health, metrics and the archive pages.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    public string Url { get; set; } = "http://127.0.0.1:8025";

    /// <summary>Bearer token every admin request must carry; required when <see cref="Url"/> is not loopback.</summary>
    public string? Token { get; set; }

    /// <summary>True when the URL binds only a loopback address.</summary>
    public bool IsLoopbackOnly
    {
        get
        {
            if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri))
            {
                return false;
            }

            return uri.Host is "localhost" || System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip);
        }
    }
}
