using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Configuration;

/// <summary>
/// The admin port must be http(s) URLs, and off loopback it must have a token. This reads the configuration; what
/// Kestrel actually bound (Kestrel:Endpoints replaces Admin:Url) is checked again once it listens (<c>AdminBindings</c>).
/// </summary>
public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions o)
    {
        if (o.Urls.Count == 0)
        {
            return ValidateOptionsResult.Fail("Admin:Url: no URL given");
        }

        foreach (var url in o.Urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return ValidateOptionsResult.Fail($"Admin:Url: '{url}' is not an http(s) URL");
            }
        }

        if (!o.IsLoopbackOnly && string.IsNullOrWhiteSpace(o.Token))
        {
            return ValidateOptionsResult.Fail($"Admin:Token: required when Admin:Url ({o.Url}) is not a loopback address");
        }

        if (o.Token is { Length: > 0 and < 16 })
        {
            return ValidateOptionsResult.Fail("Admin:Token: must be at least 16 characters");
        }

        return ValidateOptionsResult.Success;
    }
}
