namespace MailGateway.Gateway.Configuration;

/// <summary>The <c>Admin</c> section: the HTTP port for health (and, later, metrics and the archive pages).</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    public string Url { get; set; } = "http://127.0.0.1:8025";
}
