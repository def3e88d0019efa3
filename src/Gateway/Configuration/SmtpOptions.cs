namespace MailGateway.Gateway.Configuration;

/// <summary>The <c>Smtp</c> section: the listener, its limits and the domains it accepts mail for.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string Address { get; set; } = "127.0.0.1";

    /// <summary>0 binds an ephemeral port (tests read it back from the listener).</summary>
    public int Port { get; set; } = 2525;

    /// <summary>The name in the greeting, the EHLO reply and Received headers; the machine name when empty.</summary>
    public string? HostName { get; set; }

    public List<string> AcceptedDomains { get; set; } = new();

    /// <summary>Client networks (CIDR) that may relay to any domain.</summary>
    public List<string> RelayNetworks { get; set; } = new();

    /// <summary>Load balancers (addresses or CIDRs) whose connections start with a PROXY protocol header (v1 or v2).</summary>
    public List<string> TrustedProxies { get; set; } = new();

    public long MaxMessageBytes { get; set; } = 36_700_160;

    public int MaxRecipients { get; set; } = 100;

    public int MaxConnections { get; set; } = 2000;

    public int MaxConnectionsPerIp { get; set; } = 50;

    /// <summary>Protocol errors (bad syntax, bad sequence, relay denied) before the session is ended with 421.</summary>
    public int MaxErrors { get; set; } = 10;

    public int CommandTimeoutSeconds { get; set; } = 300;

    public int DataTimeoutSeconds { get; set; } = 600;

    /// <summary>How long sessions in the middle of a message get to finish when the gateway stops.</summary>
    public int ShutdownGraceSeconds { get; set; } = 20;

    public BareLineFeedPolicy BareLineFeed { get; set; } = BareLineFeedPolicy.Normalize;

    public SmtpTlsOptions Tls { get; set; } = new();

    public string EffectiveHostName => string.IsNullOrWhiteSpace(HostName) ? Environment.MachineName : HostName!;
}

/// <summary>What DATA does with a bare CR or LF (one not part of CRLF).</summary>
public enum BareLineFeedPolicy
{
    /// <summary>Store it as CRLF, as Postfix 3.9's <c>smtpd_forbid_bare_newline = normalize</c>.</summary>
    Normalize,

    /// <summary>Read the message to its end and answer <c>550 5.5.2</c>.</summary>
    Reject,
}
