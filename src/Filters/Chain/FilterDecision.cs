namespace MailGateway.Filters.Chain;

/// <summary>A decision that overrides routing by SCL: refuse the message now, or keep it only in the virus archive.</summary>
public abstract record FilterDecision
{
    private protected FilterDecision()
    {
    }
}

/// <summary>Refuse at the end of DATA with this SMTP reply (5xx permanent, 4xx the sender retries).</summary>
public sealed record RefuseDecision(int Code, string EnhancedCode, string Text) : FilterDecision;

/// <summary>A virus under Antivirus:OnInfected=Archive: stored under archive/virus/, delivered nowhere, 250.</summary>
public sealed record VirusArchiveDecision(string Signature) : FilterDecision;

/// <summary>Keep the message only in the archive (250), whatever its SCL: a message over the MIME limits under Filters:MimeLimits:Action=Archive.</summary>
public sealed record ArchiveDecision(string Reason) : FilterDecision;
