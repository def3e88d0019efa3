using MailGateway.Filters.Dns;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace MailGateway.Filters.Dkim;

/// <summary>
/// Finds DKIM (and ARC) public keys as TXT records at <c>selector._domainkey.domain</c> through the shared resolver
/// (its cache and timeouts), telling a DNS failure (<see cref="DkimKeyException.Temporary"/>) from a missing or broken key.
/// </summary>
public sealed class DnsDkimKeyLocator(IDnsResolver dns) : DkimPublicKeyLocatorBase
{
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector,
        CancellationToken cancellationToken = default) =>
        LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector,
        CancellationToken cancellationToken = default)
    {
        if (!methods.Split(':').Any(m => m.Trim().Equals("dns/txt", StringComparison.OrdinalIgnoreCase)))
        {
            throw new DkimKeyException(false, $"query method '{methods}' is not dns/txt");
        }

        var name = $"{selector}._domainkey.{domain}";
        var answer = await dns.TextAsync(name, cancellationToken);
        switch (answer.Status)
        {
            case DnsLookupStatus.TemporaryFailure:
                throw new DkimKeyException(true, $"TXT {name}: {answer.Error}");
            case DnsLookupStatus.NotFound:
                throw new DkimKeyException(false, $"no key at {name}");
        }

        try
        {
            return GetPublicKey(answer.Values[0]);
        }
        catch (Exception ex) when (ex is ParseException or FormatException or ArgumentException or InvalidCastException
                                       or IOException or Org.BouncyCastle.Security.SecurityUtilityException)
        {
            throw new DkimKeyException(false, $"key at {name} is not a key ({ex.GetType().Name})");
        }
    }
}
