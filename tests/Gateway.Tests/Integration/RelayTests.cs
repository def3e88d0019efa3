using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

[Collection(SharedGatewayCollection.Name)]
public class RelayTests(SharedGateway shared)
{
    [Theory]
    [InlineData("<victim@elsewhere.test>")]
    [InlineData("<victim%elsewhere.test@example.org>")]
    [InlineData("<elsewhere.test!victim@example.org>")]
    [InlineData("<@example.org:victim@elsewhere.test>")]
    [InlineData("<@example.org,@localhost:victim@elsewhere.test>")]
    [InlineData("<\"victim@elsewhere.test\"@example.org>")]
    [InlineData("<\"victim%elsewhere.test\"@example.org>")]
    [InlineData("<victim@[127.0.0.1]>")]
    [InlineData("<victim@[IPv6:::1]>")]
    [InlineData("<victim@example.org.elsewhere.test>")]
    [InlineData("<victim@sub.example.org>")]
    public async Task Recipients_outside_the_accepted_domains_are_refused_with_5_7_1(string recipient)
    {
        await using var client = await RawSmtpClient.ConnectAsync(shared.Gateway.SmtpPort);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<spammer@sender.test>"), 250);
        var reply = await client.CommandAsync($"RCPT TO:{recipient}");
        Assert.Equal(550, reply.Code);
        Assert.Equal("5.7.1", reply.Enhanced);
    }

    [Theory]
    [InlineData("<bob@EXAMPLE.ORG>")]
    [InlineData("<bob@Example.Org.>")]
    [InlineData("<@relay.test:bob@example.org>")]
    [InlineData("<postmaster>")]
    [InlineData("<\"john smith\"@example.org>")]
    public async Task Recipients_in_accepted_domains_are_accepted_in_any_case_and_form(string recipient)
    {
        await using var client = await RawSmtpClient.ConnectAsync(shared.Gateway.SmtpPort);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<someone@sender.test>"), 250);
        var reply = await client.CommandAsync($"RCPT TO:{recipient}");
        Assert.Equal(250, reply.Code);
        Assert.Equal("2.1.5", reply.Enhanced);
    }

    [Fact]
    public async Task A_client_in_the_relay_networks_may_send_to_any_domain()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Smtp:RelayNetworks:0"] = "127.0.0.0/8",
        });
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        RawSmtpClient.Expect(await client.CommandAsync("EHLO client.test"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("MAIL FROM:<app@example.org>"), 250);
        RawSmtpClient.Expect(await client.CommandAsync("RCPT TO:<someone@elsewhere.test>"), 250);
    }
}
