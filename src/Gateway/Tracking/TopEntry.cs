namespace MailGateway.Gateway.Tracking;

/// <summary>A sender, sender domain or client network and how many refused, archived or junk messages it sent.</summary>
public sealed record TopEntry(string Key, long Count);
