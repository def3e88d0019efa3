using System.Security.Cryptography.X509Certificates;
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

    public ILogger<SmtpSession> Logger { get; } = logger;
}
