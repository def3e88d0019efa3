using System.Security.Cryptography.X509Certificates;
using MailGateway.Filters.AllowList;
using MailGateway.Gateway.Cleanup;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Delivery;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Smtp;

/// <summary>What every session shares: options, the relay policy, the certificate, the message processor.</summary>
public sealed class SmtpSessionServices(
    IOptions<SmtpOptions> smtpOptions,
    IOptions<StorageOptions> storageOptions,
    StorageLayout layout,
    RelayPolicy relayPolicy,
    TlsCertificateProvider certificates,
    IMessageProcessor processor,
    SmtpCommandSet commands,
    AllowListService allowList,
    MessageCleanup cleanup,
    ILogger<SmtpSession> logger)
{
    public SmtpOptions Options { get; } = smtpOptions.Value;

    public string HostName { get; } = smtpOptions.Value.EffectiveHostName;

    public long SpoolMemoryBytes { get; } = storageOptions.Value.SpoolMemoryBytes;

    public string SpoolDirectory { get; } = layout.SpoolDirectory;

    public RelayPolicy RelayPolicy { get; } = relayPolicy;

    public X509Certificate2? Certificate => certificates.Certificate;

    public IMessageProcessor Processor { get; } = processor;

    public SmtpCommandSet Commands { get; } = commands;

    /// <summary>The block-list, checked at RCPT so a blocked sender is refused before any data moves.</summary>
    public AllowListService AllowList { get; } = allowList;

    /// <summary>The cleanup stage every message passes between the DATA reader and the spool.</summary>
    public MessageCleanup Cleanup { get; } = cleanup;

    public ILogger<SmtpSession> Logger { get; } = logger;
}
