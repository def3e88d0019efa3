namespace MailGateway.Gateway.Smtp.Requests;

/// <summary>HELO / EHLO: the name the client gives itself.</summary>
public sealed record HelloRequest(string Name)
{
    public static SmtpRequest<HelloRequest> Parse(string argument, string verb)
    {
        var name = argument.Trim();
        return name.Length == 0 || name.Contains(' ')
            ? SmtpReply.SyntaxError($"{verb} hostname")
            : SmtpRequest<HelloRequest>.Valid(new HelloRequest(name));
    }
}
