namespace MailGateway.Gateway.Routing;

/// <summary>
/// What happens to one message, decided once by <see cref="DispositionRouter"/> from the chain's result and the
/// thresholds in force, and carried out by the delivery in force (Maildir or the relay queue). <see cref="Name"/> is
/// the route in logs and metrics.
/// </summary>
public abstract record Disposition(string Name)
{
    public override string ToString() => Name;
}

/// <summary>Refused after DATA with this reply (a filter's refusal, a virus, the reject threshold); nothing is stored.</summary>
public sealed record RefuseDisposition(int Code, string EnhancedCode, string Text) : Disposition("rejected");

/// <summary>A virus kept under archive/virus/ (Antivirus:OnInfected=Archive); delivered nowhere.</summary>
public sealed record VirusArchiveDisposition(string Signature) : Disposition("virus-archive");

/// <summary>Kept in the archive only (the archive threshold, or a filter that says so); a user never sees it unreleased.</summary>
public sealed record ArchiveDisposition(string Reason) : Disposition("archive");

/// <summary>Delivered to the recipients' junk folder (in relay mode: marked as junk for the internal server).</summary>
public sealed record JunkDisposition() : Disposition("junk");

/// <summary>Delivered to the recipients' inbox (in relay mode: to the internal server).</summary>
public sealed record InboxDisposition() : Disposition("inbox");
