using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Configuration;

/// <summary>The admin port must be a http(s) URL, and off loopback it must have a token.</summary>
public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions o)
    {
        if (!Uri.TryCreate(o.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return ValidateOptionsResult.Fail($"Admin:Url: '{o.Url}' is not an http(s) URL");
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
