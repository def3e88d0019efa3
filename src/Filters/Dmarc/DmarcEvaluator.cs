using MailGateway.Filters.Authentication;
using MailGateway.Filters.Dns;
using MailGateway.Filters.Spf;

namespace MailGateway.Filters.Dmarc;

/// <summary>
/// RFC 7489's check for one From domain: the record at <c>_dmarc.</c> the domain, else at <c>_dmarc.</c> its
/// organisational domain (whose <c>sp=</c> then applies); SPF and DKIM passes aligned with the From domain, relaxed
/// (same organisational domain) or strict (same name) as <c>aspf=</c>/<c>adkim=</c> say; and the disposition after
/// <c>pct=</c> sampling (a message outside the sample gets the next milder policy, RFC 7489 6.6.4). A DNS failure,
/// or an SPF or DKIM temperror where nothing passed, is temperror: nothing is enforced on it.
/// </summary>
public sealed class DmarcEvaluator(IDnsResolver dns, PublicSuffixList suffixes)
{
    public PublicSuffixList Suffixes => suffixes;

    /// <param name="sample">a number in 0..99 compared with pct= (random in production).</param>
    public async Task<DmarcResult> EvaluateAsync(string fromDomain, SpfVerdict? spf, IReadOnlyList<DkimResult> dkim,
        int sample, CancellationToken cancellationToken)
    {
        var from = fromDomain.TrimEnd('.').ToLowerInvariant();
        var organisational = suffixes.OrganisationalDomain(from);
        var (record, atOrganisational, error, temporary) = await FindRecordAsync(from, organisational, cancellationToken);
        if (temporary)
        {
            return new DmarcResult("temperror", from, null, "none", error);
        }

        if (record is null)
        {
            return new DmarcResult(error.Length == 0 ? "none" : "permerror", from, null, "none",
                error.Length == 0 ? "no DMARC record" : error);
        }

        var policy = atOrganisational && from != organisational ? record.SubdomainPolicy : record.Policy;
        string? spfAligned = null;
        if (spf is { Result: SpfResult.Pass } && Aligned(spf.Domain, from, organisational, record.StrictSpf))
        {
            spfAligned = spf.Domain;
        }

        var dkimAligned = dkim.FirstOrDefault(d => d.Result == "pass" && Aligned(d.Domain, from, organisational, record.StrictDkim))
            ?.Domain.ToLowerInvariant();
        if (spfAligned is not null || dkimAligned is not null)
        {
            return new DmarcResult("pass", from, policy, "none", dkimAligned is not null ? "aligned DKIM" : "aligned SPF",
                spfAligned, dkimAligned);
        }

        if (spf is { Result: SpfResult.TempError } || dkim.Any(d => d.Result == "temperror"))
        {
            return new DmarcResult("temperror", from, policy, "none", "SPF or DKIM could not be checked");
        }

        var disposition = sample < record.Percent ? policy : policy switch
        {
            "reject" => "quarantine",
            _ => "none",
        };
        return new DmarcResult("fail", from, policy, disposition,
            sample < record.Percent ? "no aligned SPF or DKIM pass" : $"no aligned pass; outside pct={record.Percent}");
    }

    /// <summary>Relaxed: the same organisational domain; strict: the same name.</summary>
    public bool Aligned(string domain, string from, string organisational, bool strict)
    {
        var d = domain.TrimEnd('.').ToLowerInvariant();
        return strict ? d == from : d.Length > 0 && suffixes.OrganisationalDomain(d) == organisational;
    }

    private async Task<(DmarcRecord? Record, bool AtOrganisational, string Error, bool Temporary)> FindRecordAsync(
        string from, string organisational, CancellationToken cancellationToken)
    {
        var first = await LookupAsync(from, cancellationToken);
        if (first.Record is not null || first.Error.Length > 0 || from == organisational)
        {
            return (first.Record, false, first.Error, first.Temporary);
        }

        var second = await LookupAsync(organisational, cancellationToken);
        return (second.Record, true, second.Error, second.Temporary);
    }

    private async Task<(DmarcRecord? Record, string Error, bool Temporary)> LookupAsync(string domain,
        CancellationToken cancellationToken)
    {
        var answer = await dns.TextAsync("_dmarc." + domain, cancellationToken);
        if (answer.Status == DnsLookupStatus.TemporaryFailure)
        {
            return (null, $"TXT _dmarc.{domain}: {answer.Error}", true);
        }

        var records = answer.Values.Where(DmarcRecord.IsDmarcRecord).ToList();
        switch (records.Count)
        {
            case 0:
                return (null, "", false);
            case > 1:
                // RFC 7489 6.6.3: more than one record means no policy at all.
                return (null, "", false);
        }

        var record = DmarcRecord.Parse(records[0], out var error);
        return (record, record is null ? $"_dmarc.{domain}: {error}" : "", false);
    }
}
