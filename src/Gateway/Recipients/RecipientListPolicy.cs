using MailGateway.Filters.ConfigFiles;
using MailGateway.Gateway.Smtp;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Recipients;

/// <summary>
/// <c>Recipients:Verify=List</c>: a recipient of an accepted domain must be in the list (re-read when it changes,
/// the last good version kept when it breaks or disappears); any other gets 550 5.1.1 at RCPT, so nothing is
/// accepted that would later bounce.
/// </summary>
public sealed class RecipientListPolicy : IRecipientPolicy, IDisposable
{
    private readonly RelayPolicy _relay;
    private readonly RecipientMetrics _metrics;
    private readonly ILogger<RecipientListPolicy> _logger;
    private readonly ReloadingFile<RecipientDirectory> _file;

    public RecipientListPolicy(string path, RelayPolicy relay, RecipientMetrics metrics, ILogger<RecipientListPolicy> logger)
    {
        // A list that is not there at start would refuse every recipient: a configuration error, not a state.
        if (!File.Exists(path))
        {
            throw new Configuration.ConfigurationErrorException([$"Recipients:ListPath: {path} does not exist"]);
        }

        _relay = relay;
        _metrics = metrics;
        _logger = logger;
        var settings = new ReloadingFileSettings(TimeSpan.FromMilliseconds(100), UsePolling: false, TimeProvider.System);
        _file = ReloadingFile<RecipientDirectory>.Open(path, RecipientDirectory.Parse, RecipientDirectory.Empty, settings,
            (old, next) => logger.LogInformation("Recipients: reloaded {Path}: {OldCount} → {Count} entries", path, old.Count, next.Count),
            (old, ex) => logger.LogError("Recipients: {Path} is invalid, keeping the last good list ({Count} entries): {Reason}",
                path, old.Count, ex is ConfigFileException config ? config.Reason : ex.Message),
            old => logger.LogError("Recipients: {Path} does not exist; keeping the last good list ({Count} entries)", path, old.Count));
        logger.LogInformation("Recipients: verifying against {Path} ({Count} entries)", path, _file.Current.Count);
    }

    public ValueTask<SmtpReply?> CheckAsync(RecipientCheck check, CancellationToken cancellationToken)
    {
        if (!_relay.IsAcceptedDomain(check.Recipient) || _file.Current.Knows(check.Recipient))
        {
            return ValueTask.FromResult<SmtpReply?>(null);
        }

        _metrics.Unknown("list");
        _logger.LogInformation("Session {SessionId}: recipient {Recipient} is not in the recipient list", check.SessionId,
            check.Recipient.Address);
        return ValueTask.FromResult<SmtpReply?>(SmtpReply.UnknownRecipient);
    }

    public void Dispose() => _file.Dispose();
}
