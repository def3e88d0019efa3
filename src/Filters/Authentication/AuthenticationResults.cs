using System.Text;
using MailGateway.Filters.Spf;

namespace MailGateway.Filters.Authentication;

/// <summary>
/// What the sender-authentication stages concluded about one message, written by each stage as it runs and read by
/// the later ones (DMARC reads SPF and DKIM; the allow-list reads the aligned identities). The gateway writes it as
/// one RFC 8601 <c>Authentication-Results</c> header above the message.
/// </summary>
public sealed class AuthenticationResults
{
    public const string HeaderName = "Authentication-Results";

    private readonly List<DkimResult> _dkim = [];

    public SpfVerdict? Spf { get; set; }

    /// <summary>One entry per DKIM signature checked, in the message's order.</summary>
    public IReadOnlyList<DkimResult> Dkim => _dkim;

    /// <summary>True once the DKIM stage ran (a message without signatures reads <c>dkim=none</c>).</summary>
    public bool DkimChecked { get; set; }

    public ArcResult? Arc { get; set; }

    public DmarcResult? Dmarc { get; set; }

    /// <summary>The S/MIME signature's result (RFC 7281), written by the Smime stage.</summary>
    public SmimeResult? Smime { get; set; }

    /// <summary>
    /// True when there is nothing to write. <c>smime=none</c> alone does not make a header: it is written beside the
    /// other methods' results, not on every unsigned message when they are off.
    /// </summary>
    public bool IsEmpty => Spf is null && !DkimChecked && Arc is null && Dmarc is null && Smime is null or { Result: "none" };

    public void AddDkim(DkimResult result) => _dkim.Add(result);

    /// <summary>
    /// Which recorded pass authenticates <paramref name="domain"/> with relaxed alignment (the same organisational
    /// domain): <c>spf:bounce.example.com</c>, <c>dkim:example.com</c>, or null when none does.
    /// </summary>
    public string? AuthenticatedIdentity(string? domain, Dmarc.PublicSuffixList suffixes)
    {
        if (string.IsNullOrEmpty(domain))
        {
            return null;
        }

        var organisational = suffixes.OrganisationalDomain(domain);
        if (Spf is { Result: SpfResult.Pass } spf && spf.Domain.Length > 0
                                                  && suffixes.OrganisationalDomain(spf.Domain) == organisational)
        {
            return "spf:" + spf.Domain;
        }

        var dkim = _dkim.FirstOrDefault(d => d.Result == "pass" && d.Domain.Length > 0
                                             && suffixes.OrganisationalDomain(d.Domain) == organisational);
        return dkim is null ? null : "dkim:" + dkim.Domain.ToLowerInvariant();
    }

    /// <summary>The header's value: <c>host; spf=pass smtp.mailfrom=…; dkim=pass header.d=… header.s=…; …</c>.</summary>
    public string Format(string authservId)
    {
        var value = new StringBuilder(authservId);
        if (Spf is { } spf)
        {
            value.Append("; spf=").Append(spf.ResultName).Append(' ')
                .Append(spf.Scope == "helo" ? "smtp.helo=" : "smtp.mailfrom=").Append(Property(spf.Identity));
        }

        if (DkimChecked)
        {
            if (_dkim.Count == 0)
            {
                value.Append("; dkim=none");
            }

            foreach (var d in _dkim)
            {
                value.Append("; dkim=").Append(d.Result);
                if (d.Domain.Length > 0)
                {
                    value.Append(" header.d=").Append(Property(d.Domain)).Append(" header.s=").Append(Property(d.Selector));
                }
            }
        }

        if (Arc is { } arc)
        {
            value.Append("; arc=").Append(arc.Result);
        }

        if (Dmarc is { } dmarc)
        {
            value.Append("; dmarc=").Append(dmarc.Result);
            if (dmarc.Policy is { } policy)
            {
                value.Append(" (p=").Append(policy).Append(" dis=").Append(dmarc.Disposition).Append(')');
            }

            if (dmarc.FromDomain.Length > 0)
            {
                value.Append(" header.from=").Append(Property(dmarc.FromDomain));
            }
        }

        if (Smime is { } smime)
        {
            value.Append("; smime=").Append(smime.Result);
            if (smime.Signer is { Length: > 0 } signer)
            {
                value.Append(" body.smime-identifier=").Append(Property(signer));
            }
        }

        return value.ToString();
    }

    /// <summary>A property value as RFC 8601 allows it: a token or addr-spec, or else a quoted string.</summary>
    private static string Property(string value)
    {
        var clean = new string(value.Where(c => c >= ' ' && c < 127).ToArray());
        return clean.Length > 0 && clean.All(c => char.IsAsciiLetterOrDigit(c) || "@.-_+=!#$%&'*/?^`{|}~".Contains(c))
            ? clean
            : "\"" + clean.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }
}

/// <summary>
/// The S/MIME signature's result: pass (verified, and the signer chains to the trust store), fail (does not verify,
/// untrusted, malformed) or none (not signed); the signer's e-mail address (or name) from its certificate.
/// </summary>
public sealed record SmimeResult(string Result, string? Signer, string Reason);

/// <summary>One DKIM signature's result (pass, fail, neutral, temperror, permerror, policy) with its d= and s=.</summary>
public sealed record DkimResult(string Result, string Domain, string Selector, string Reason);

/// <summary>
/// The ARC chain's validation (none, pass, fail, temperror) and, when it passed, the sealer of the newest set and the
/// ARC-Authentication-Results it recorded.
/// </summary>
public sealed record ArcResult(string Result, string? Sealer, string Reason, string? SealedResults = null);

/// <summary>
/// DMARC's result for the From domain: pass, fail, none, temperror or permerror; the policy found and the
/// disposition applied (none, quarantine, reject), and whether it passed through SPF or DKIM alignment.
/// </summary>
public sealed record DmarcResult(string Result, string FromDomain, string? Policy, string Disposition, string Reason,
    string? AlignedSpfDomain = null, string? AlignedDkimDomain = null);
