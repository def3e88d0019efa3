namespace MailGateway.Gateway.Smtp.Requests;

/// <summary>
/// The BODY parameter of MAIL FROM (RFC 6152). BINARYMIME (RFC 3030) is not offered: binary content could not be
/// passed on unchanged to a next hop without it, and the stored copy must be what the client sent.
/// </summary>
public enum MailBody
{
    SevenBit,
    EightBitMime,
}
