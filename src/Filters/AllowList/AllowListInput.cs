namespace MailGateway.Filters.AllowList;

/// <summary>Which value of the message a rule matched, for the trace and the log.</summary>
public enum AllowListInput
{
    /// <summary>The envelope sender (MAIL FROM).</summary>
    EnvelopeSender,

    /// <summary>The address in the From header.</summary>
    HeaderFrom,

    /// <summary>The connecting client's IP address.</summary>
    ClientAddress,
}
