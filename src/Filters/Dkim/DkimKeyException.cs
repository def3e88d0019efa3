namespace MailGateway.Filters.Dkim;

/// <summary>
/// The key for a signature could not be had: <see cref="Temporary"/> when DNS did not answer (temperror, try again),
/// otherwise the key is missing, revoked or not a key (permerror).
/// </summary>
public sealed class DkimKeyException(bool temporary, string reason) : Exception(reason)
{
    public bool Temporary { get; } = temporary;
}
