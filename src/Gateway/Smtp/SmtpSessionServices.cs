using System.Security.Cryptography.X509Certificates;
using MailGateway.Filters.Chain;
using MailGateway.Gateway.Cleanup;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Delivery;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Smtp;

/// <summary>What every session shares: options, the recipient policies, the certificate, the cleanup stage, the message processor.</summary>
public sealed class SmtpSessionServices(
    IOptions<SmtpOptions> smtpOptions,
    IOptions<StorageOptions> storageOptions,
    StorageLayout layout,
    IEnumerable<IRecipientPolicy> recipientPolicies,
    RelayPolicy relay,
    TlsCertificateProvider certificates,
    IMessageProcessor processor,
    SmtpCommandSet commands,
    MessageCleanup cleanup,
    IEnumerable<IEarlyLookup> earlyLookups,
    ILogger<SmtpSession> logger)
{
    public SmtpOptions Options { get; } = smtpOptions.Value;

    public string HostName { get; } = smtpOptions.Value.EffectiveHostName;

    public long SpoolMemoryBytes { get; } = storageOptions.Value.SpoolMemoryBytes;

    public string SpoolDirectory { get; } = layout.SpoolDirectory;

    /// <summary>The checks every recipient passes at RCPT, in order (relay rule, then block list, …).</summary>
    public IReadOnlyList<IRecipientPolicy> RecipientPolicies { get; } = recipientPolicies.ToList();

    /// <summary>Smtp:RelayNetworks and Smtp:AcceptedDomains: also says whether a message comes from inside.</summary>
    public RelayPolicy Relay { get; } = relay;

    public X509Certificate2? Certificate => certificates.Certificate;

    public IMessageProcessor Processor { get; } = processor;

    public SmtpCommandSet Commands { get; } = commands;

    /// <summary>The cleanup stage every message passes between the DATA reader and the spool.</summary>
    public MessageCleanup Cleanup { get; } = cleanup;

    /// <summary>The stages whose DNS work starts when DATA or BDAT begins, to run while the body arrives (SPF).</summary>
    public IReadOnlyList<IEarlyLookup> EarlyLookups { get; } = earlyLookups.ToList();

    public ILogger<SmtpSession> Logger { get; } = logger;
}
