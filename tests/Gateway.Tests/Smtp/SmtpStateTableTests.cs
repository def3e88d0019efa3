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

    [Theory]
    [InlineData("BDAT", SmtpSessionState.Greeted, 503)]
    [InlineData("BDAT", SmtpSessionState.RecipientGiven, 0)]
    [InlineData("BDAT", SmtpSessionState.ReceivingChunks, 0)]
    [InlineData("DATA", SmtpSessionState.ReceivingChunks, 503)]
    [InlineData("RCPT", SmtpSessionState.ReceivingChunks, 503)]
    [InlineData("MAIL", SmtpSessionState.ReceivingChunks, 503)]
    [InlineData("RSET", SmtpSessionState.ReceivingChunks, 0)]
    public void Chunking_has_its_own_rows(string verb, SmtpSessionState state, int code)
    {
        Assert.Equal(code, SmtpStateTable.Check(verb, state, 0)?.Code ?? 0);
    }

    [Theory]
    [InlineData(SmtpSessionState.Connected, SmtpEvent.Greeted, SmtpSessionState.Greeted)]
    [InlineData(SmtpSessionState.Greeted, SmtpEvent.MailAccepted, SmtpSessionState.MailGiven)]
    [InlineData(SmtpSessionState.MailGiven, SmtpEvent.RecipientAccepted, SmtpSessionState.RecipientGiven)]
    [InlineData(SmtpSessionState.RecipientGiven, SmtpEvent.ChunkAccepted, SmtpSessionState.ReceivingChunks)]
    [InlineData(SmtpSessionState.ReceivingChunks, SmtpEvent.TransactionEnded, SmtpSessionState.Greeted)]
    [InlineData(SmtpSessionState.MailGiven, SmtpEvent.None, SmtpSessionState.MailGiven)]
    [InlineData(SmtpSessionState.Connected, SmtpEvent.TransactionReset, SmtpSessionState.Connected)]
    [InlineData(SmtpSessionState.ReceivingChunks, SmtpEvent.TransactionReset, SmtpSessionState.Greeted)]
    [InlineData(SmtpSessionState.Greeted, SmtpEvent.TlsStarted, SmtpSessionState.Connected)]
    public void Each_outcome_leads_to_the_state_the_table_gives(SmtpSessionState from, SmtpEvent outcome,
        SmtpSessionState to)
    {
        Assert.Equal(to, SmtpStateTable.Next(from, outcome));
    }
}
