using MailGateway.Gateway.Smtp;

namespace MailGateway.Gateway.Tests.Smtp;

public class SmtpStateTableTests
{
    [Theory]
    [InlineData("MAIL", SmtpSessionState.Connected, 503)]
    [InlineData("MAIL", SmtpSessionState.Greeted, 0)]
    [InlineData("MAIL", SmtpSessionState.MailGiven, 503)]
    [InlineData("RCPT", SmtpSessionState.Greeted, 503)]
    [InlineData("RCPT", SmtpSessionState.MailGiven, 0)]
    [InlineData("RCPT", SmtpSessionState.RecipientGiven, 0)]
    [InlineData("DATA", SmtpSessionState.MailGiven, 503)]
    [InlineData("DATA", SmtpSessionState.RecipientGiven, 0)]
    [InlineData("STARTTLS", SmtpSessionState.MailGiven, 503)]
    [InlineData("NOOP", SmtpSessionState.Connected, 0)]
    public void Commands_are_allowed_only_in_their_states(string verb, SmtpSessionState state, int code)
    {
        var refusal = SmtpStateTable.Check(verb, state, 0);
        Assert.Equal(code, refusal?.Code ?? 0);
        if (refusal is not null)
        {
            Assert.Equal("5.5.1", refusal.Enhanced);
        }
    }

    [Fact]
    public void Pipelined_data_after_every_recipient_failed_gets_554()
    {
        Assert.Equal(554, SmtpStateTable.Check("DATA", SmtpSessionState.MailGiven, 2)!.Code);
    }
}
