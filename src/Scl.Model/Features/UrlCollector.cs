using System.Net;
using System.Text.RegularExpressions;

namespace MailGateway.Scl.Model.Features;

/// <summary>Collects URLs from hrefs and plain text: count, distinct hosts, numeric hosts (<see cref="UrlEvidence"/>).</summary>
internal sealed partial class UrlCollector
{
    private const int MaxDomains = 40;

    private readonly List<string> _domains = new();
    private int _count;
    private int _ipLiterals;

    /// <summary>Adds every http(s) URL written out in <paramref name="text"/>.</summary>
    public void AddFromText(string text)
    {
        foreach (Match match in PlainUrl().Matches(text))
        {
            if (_count >= FeatureExtractor.MaxUrls)
            {
                return;
            }

            AddUrl(match.Value);
        }
    }

    /// <summary>Adds one URL (an href or a URL found in text); anything but an absolute http(s) URL is skipped.</summary>
    public void AddUrl(string url)
    {
        if (_count >= FeatureExtractor.MaxUrls)
        {
            return;
        }

        if (url.StartsWith("//", StringComparison.Ordinal))
        {
            url = "http:" + url;
        }

        if (!url.StartsWith("http", StringComparison.OrdinalIgnoreCase)
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Host.Length == 0)
        {
            return;
        }

        _count++;
        var host = uri.Host.TrimEnd('.').ToLowerInvariant();
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || IPAddress.TryParse(host, out _))
        {
            _ipLiterals++;
        }

        if (_domains.Count < MaxDomains && !_domains.Contains(host))
        {
            _domains.Add(host);
        }
    }

    public UrlEvidence ToEvidence() => new() { Count = _count, Domains = _domains, IpLiteralCount = _ipLiterals };

    [GeneratedRegex(@"\bhttps?://[^\s""'<>()\[\]]{2,300}", RegexOptions.IgnoreCase)]
    private static partial Regex PlainUrl();
}
