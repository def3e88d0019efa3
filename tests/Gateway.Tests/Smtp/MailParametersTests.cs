using MailGateway.Gateway.Smtp;

namespace MailGateway.Gateway.Tests.Smtp;

public class MailParametersTests
{
    [Fact]
    public void Path_and_parameters_are_split()
    {
        Assert.True(MailParameters.TrySplit("FROM:<a@b.test> SIZE=100 BODY=8BITMIME SMTPUTF8", "FROM",
            out var path, out var parameters, out _));
        Assert.Equal("a@b.test", path);
        Assert.Equal("100", parameters["SIZE"]);
        Assert.Equal("8BITMIME", parameters["body"]);
        Assert.True(parameters.ContainsKey("SMTPUTF8"));
        Assert.Null(parameters["SMTPUTF8"]);
    }

    [Theory]
    [InlineData("FROM:a@b.test")]
    [InlineData("FROM:<a@b.test")]
    [InlineData("TO:<a@b.test>")]
    [InlineData("FROM:<a@b.test>SIZE=1")]
    [InlineData("FROM:<a@b.test> SIZE=1 SIZE=2")]
    public void Malformed_arguments_are_refused(string argument)
    {
        Assert.False(MailParameters.TrySplit(argument, "FROM", out _, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void A_space_after_the_colon_and_a_quoted_bracket_are_tolerated()
    {
        Assert.True(MailParameters.TrySplit("TO: <\"a>b\"@example.org>", "TO", out var path, out _, out _));
        Assert.Equal("\"a>b\"@example.org", path);
    }

    [Fact]
    public void The_null_reverse_path_is_empty()
    {
        Assert.True(MailParameters.TrySplit("FROM:<>", "FROM", out var path, out var parameters, out _));
        Assert.Equal("", path);
        Assert.Empty(parameters);
    }
}
