using System.Text;
using MailGateway.Scl.Model.Features;
using MimeKit;

namespace MailGateway.Scl.Model.Tests;

public sealed class SenderEvidenceTests
{
    private const string Received = "from mx.example.org (mx.example.org [192.0.2.1]) by in.example.net; Sat, 7 Sep 2002 11:48:19 +0100";

    [Theory]
    [InlineData("Sat, 7 Sep 2002 11:00:00 +0100", "")]
    [InlineData("Sat, 7 Sep 2002 16:00:00 +0100", "date:future")]
    [InlineData("Sat, 31 Aug 2002 11:00:00 +0100", "date:past")]
    [InlineData("Sat, 7 Sep 2002 06:00:00 EDT", "date:no-numeric-zone")]
    [InlineData("Sun, 8 Sep 2002 06:00:00 EDT", "date:no-numeric-zone date:future")]
    [InlineData("not a date at all", "date:invalid")]
    public void Date_is_compared_with_the_newest_received_timestamp(string date, string expected)
    {
        var flags = new List<string>();
        SenderEvidence.DateFlags(date, Received, flags);

        Assert.Equal(expected, string.Join(" ", flags));
    }

    [Fact]
    public void Date_without_a_received_timestamp_is_only_checked_for_its_form()
    {
        var flags = new List<string>();
        SenderEvidence.DateFlags("Sat, 7 Sep 2030 11:00:00 +0100", "from a (b [192.0.2.1]) by c", flags);

        Assert.Empty(flags);
    }

    [Theory]
    [InlineData("From: \"Espial News\" <facelist@espial.com>\nTo: <jm@example.net>", "")]
    [InlineData("From: vcqztr_2gk1525@deutsche-bank.de\nTo: <ilug@linux.ie>", "from:local-digits")]
    [InlineData("From: \"me@bank.test\" <x@other.test>\nTo: x@other.test", "from:name-has-address to:is-from")]
    [InlineData("From: \"Trivia\" <trivia@example.com>\nTo: <Undisclosed-Recipient:;>", "to:undisclosed")]
    [InlineData("From: \"Trivia\" <trivia@example.com>", "")]
    [InlineData("From: trivia@example.com\nTo: <jm@example.net>", "")]
    public void From_and_to_say_how_the_message_was_addressed(string headers, string expected)
    {
        var raw = headers + "\nSubject: s\n\nbody\n";
        var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw)));

        Assert.Equal(expected, string.Join(" ", SenderEvidence.Flags(message, null)));
    }

    [Fact]
    public async Task Date_is_compared_with_the_newest_hop_outside_the_receiving_network()
    {
        // The collector fetched the message a week later (a loopback hop on top); that is not when it was sent.
        const string message =
            "Received: from localhost (localhost [127.0.0.1]) by home.example.net; Sat, 14 Sep 2002 11:00:00 +0100\r\n" +
            "Received: from mx.example.org (mx.example.org [192.0.2.1]) by in.example.net; Sat, 7 Sep 2002 11:48:19 +0100\r\n" +
            "Date: Sat, 7 Sep 2002 11:40:00 +0100\r\nFrom: \"A\" <a@example.org>\r\nTo: <b@example.net>\r\nSubject: s\r\n\r\nbody\r\n";
        var (_, features) = await FeatureExtractor.ExtractAsync(new MemoryStream(Encoding.UTF8.GetBytes(message)), CancellationToken.None);

        Assert.Empty(features.Headers.SenderFlags);

        var late = message.Replace("Date: Sat, 7 Sep 2002 11:40:00", "Date: Sat, 7 Sep 2002 18:40:00", StringComparison.Ordinal);
        (_, features) = await FeatureExtractor.ExtractAsync(new MemoryStream(Encoding.UTF8.GetBytes(late)), CancellationToken.None);

        Assert.Equal(["date:future"], features.Headers.SenderFlags);
    }
}
