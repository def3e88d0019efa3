namespace MailGateway.Filters.Antivirus;

/// <summary>
/// The <c>Antivirus</c> configuration section: where clamd listens and what the gateway does with its verdicts.
/// </summary>
public sealed class AntivirusOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Antivirus";

    /// <summary>Whether messages are scanned at all; an administrator may turn it off when no clamd is available.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>clamd's TCP host; ignored when <see cref="SocketPath"/> is set.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>clamd's TCP port (clamd's own default).</summary>
    public int Port { get; set; } = 3310;

    /// <summary>clamd's unix socket (its <c>LocalSocket</c>); when set it wins over Host and Port.</summary>
    public string? SocketPath { get; set; }

    /// <summary>
    /// Limit for one whole scan (connect, stream, verdict). A clamd that hangs must not hold the SMTP session: past
    /// this the scan fails with a timeout and <see cref="OnError"/> decides.
    /// </summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>What happens to a message clamd finds infected.</summary>
    public AntivirusInfectedAction OnInfected { get; set; } = AntivirusInfectedAction.Reject;

    /// <summary>What happens to a message that could not be scanned.</summary>
    public AntivirusErrorAction OnError { get; set; } = AntivirusErrorAction.TempFail;

    /// <summary>
    /// Also stream each MIME part as MimeKit decodes it to clamd, so a payload that clamd's own MIME parser misses in
    /// broken MIME is still found. At most <see cref="MaxDecodedParts"/> parts per message.
    /// </summary>
    public bool ScanDecodedParts { get; set; } = true;

    /// <summary>Refuse (554 5.7.1) messages with parts in an encoding nothing here can decode (BinHex).</summary>
    public bool RejectUnscannable { get; set; } = true;

    public int MaxDecodedParts { get; set; } = 64;

    /// <summary>
    /// Also look for encoded bodies without trusting the MIME structure (<see cref="TolerantPartExtractor"/>): every
    /// base64, quoted-printable and uuencoded run a mail client might decode, each way clients decode it, all sent to
    /// clamd in one extra scan. Only the first <see cref="TolerantScanBytes"/> of a message are read for it.
    /// </summary>
    public bool ScanTolerantParts { get; set; } = true;

    /// <summary>How much of a message the tolerant pass reads (4 MiB): its memory per message in flight.</summary>
    public int TolerantScanBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>At most this many distinct decoded bodies per message go to clamd from the tolerant pass.</summary>
    public int MaxTolerantParts { get; set; } = 256;

    /// <summary>At most this many decoded bytes in all per message from the tolerant pass (16 MiB).</summary>
    public long MaxTolerantDecodedBytes { get; set; } = 16 * 1024 * 1024;
}
