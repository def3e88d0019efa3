namespace MailGateway.Filters.Antivirus;

/// <summary>Why a message could not be scanned.</summary>
public enum ScanFailureReason
{
    /// <summary>Nothing answered on clamd's socket.</summary>
    Unreachable,

    /// <summary>The scan took longer than Antivirus:TimeoutSeconds.</summary>
    Timeout,

    /// <summary>The message is larger than clamd's StreamMaxLength.</summary>
    SizeLimitExceeded,

    /// <summary>clamd answered ERROR, or the connection failed during the scan.</summary>
    Error,
}
