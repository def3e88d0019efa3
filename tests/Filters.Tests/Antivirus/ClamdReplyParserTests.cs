using MailGateway.Filters.Antivirus;

namespace MailGateway.Filters.Tests.Antivirus;

public sealed class ClamdReplyParserTests
{
    [Theory]
    [InlineData("stream: OK\0")]
    [InlineData("stream: OK")]
    [InlineData("stream: OK\n")]
    [InlineData("1: stream: OK")]
    public void Ok_reply_is_clean(string reply)
    {
        var parsed = ClamdReplyParser.ParseScanReply(reply);

        Assert.Equal(ClamdReplyStatus.Clean, parsed.Status);
        Assert.Null(parsed.Signature);
    }

    [Theory]
    [InlineData("stream: Eicar-Test-Signature FOUND\0", "Eicar-Test-Signature")]
    [InlineData("stream: Win.Test.EICAR_HDB-1 FOUND", "Win.Test.EICAR_HDB-1")]
    [InlineData("stream: clam.exe.UNOFFICIAL FOUND\n", "clam.exe.UNOFFICIAL")]
    [InlineData("3: stream: Heuristics.Encrypted.Zip FOUND", "Heuristics.Encrypted.Zip")]
    public void Found_reply_is_infected_with_the_signature(string reply, string signature)
    {
        var parsed = ClamdReplyParser.ParseScanReply(reply);

        Assert.Equal(ClamdReplyStatus.Infected, parsed.Status);
        Assert.Equal(signature, parsed.Signature);
    }

    [Theory]
    [InlineData("INSTREAM size limit exceeded. ERROR\0")]
    [InlineData("INSTREAM size limit exceeded. ERROR")]
    public void Size_limit_reply_is_recognised(string reply)
    {
        var parsed = ClamdReplyParser.ParseScanReply(reply);

        Assert.Equal(ClamdReplyStatus.SizeLimitExceeded, parsed.Status);
        Assert.Equal("INSTREAM size limit exceeded. ERROR", parsed.Text);
    }

    [Theory]
    [InlineData("stream: Can't allocate memory ERROR", "Can't allocate memory")]
    [InlineData("UNKNOWN COMMAND", "UNKNOWN COMMAND")]
    [InlineData("", "")]
    [InlineData("stream: FOUND", "FOUND")]
    [InlineData("12: stream: Can't allocate memory ERROR", "Can't allocate memory")]
    [InlineData("7: UNKNOWN COMMAND", "UNKNOWN COMMAND")]
    public void Error_or_unexpected_reply_is_an_error(string reply, string errorText)
    {
        var parsed = ClamdReplyParser.ParseScanReply(reply);

        Assert.Equal(ClamdReplyStatus.Error, parsed.Status);
        Assert.Null(parsed.Signature);
        Assert.Equal(errorText, ClamdReplyParser.ErrorText(reply));
    }
}
