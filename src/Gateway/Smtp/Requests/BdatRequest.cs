using System.Globalization;

namespace MailGateway.Gateway.Smtp.Requests;

/// <summary>BDAT &lt;chunk-size&gt; [LAST] (RFC 3030): the size of the octets that follow the command line.</summary>
public sealed record BdatRequest(long Size, bool Last)
{
    public static SmtpRequest<BdatRequest> Parse(string argument)
    {
        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 1 or > 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || parts.Length == 2 && !parts[1].Equals("LAST", StringComparison.OrdinalIgnoreCase))
        {
            return BadSyntax;
        }

        return SmtpRequest<BdatRequest>.Valid(new BdatRequest(size, parts.Length == 2));
    }

    /// <summary>
    /// Without a size the octets that follow cannot be told from commands, so the session cannot go on: 501, closed.
    /// </summary>
    public static readonly SmtpReply BadSyntax =
        new(501, "5.5.4", "Syntax error: BDAT <chunk-size> [LAST]; closing connection") { CloseAfter = true };
}
