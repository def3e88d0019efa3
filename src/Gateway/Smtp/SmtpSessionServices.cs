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
    FilterChain chain,
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

    /// <summary>
    /// The stages whose DNS work starts when DATA or BDAT begins, to run while the body arrives (SPF); only those whose
    /// filter is in the chain.
    /// </summary>
    public IReadOnlyList<IEarlyLookup> EarlyLookups { get; } = Running(earlyLookups, chain, fromInternalClient: false);

    private readonly IReadOnlyList<IEarlyLookup> _internalEarlyLookups = Running(earlyLookups, chain, fromInternalClient: true);

    /// <summary>
    /// The early lookups to start for a message: for mail from the relay networks not those of the sender checks
    /// (<see cref="FilterKind.SenderAuthentication"/>), which the chain does not run for it.
    /// </summary>
    public IReadOnlyList<IEarlyLookup> EarlyLookupsFor(bool fromInternalClient) =>
        fromInternalClient ? _internalEarlyLookups : EarlyLookups;

    public ILogger<SmtpSession> Logger { get; } = logger;

    private static List<IEarlyLookup> Running(IEnumerable<IEarlyLookup> lookups, FilterChain chain, bool fromInternalClient) =>
        lookups.Where(l => chain.Filters.Any(f => string.Equals(f.Name, l.FilterName, StringComparison.OrdinalIgnoreCase)
                                                  && !(fromInternalClient && f.Kind == FilterKind.SenderAuthentication)))
            .ToList();
}
