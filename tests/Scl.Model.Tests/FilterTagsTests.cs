using System.Text;
using MailGateway.Scl.Model.Features;
using MailGateway.Scl.Model.Input;
using MailGateway.Scl.Model.Training;

namespace MailGateway.Scl.Model.Tests;

/// <summary>Issue #9: what another spam filter wrote into a message must not reach the model.</summary>
public sealed class FilterTagsTests
{
    private const string Clean = """
        Received: from mail.sender.example (mail.sender.example [203.0.113.7])
        	by mx.receiver.example with ESMTP id 1; Tue, 27 Oct 2009 08:35:48 +0900
        From: "Bel" <bel@sender.example>
        To: someone@receiver.example
        Subject: Give her 3 hour rodeo
        Date: Tue, 27 Oct 2009 10:34:11 +1000
        Message-ID: <1@sender.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=us-ascii

        Cheap pills, best prices, order now at http://pills.example/buy
        """;

    // The same message after a Barracuda, SpamAssassin and amavis on the receiving network had their say.
    private const string Tagged = """
        Received: from mail3.receiver.example (localhost [127.0.0.1])
        	by mail3.receiver.example with ESMTP id C1; Tue, 27 Oct 2009 08:35:50 +0900
        Received: from spamgw.receiver.example (spamgw.receiver.example [192.168.18.120])
        	by mail3.receiver.example with ESMTP id BE; Tue, 27 Oct 2009 08:35:50 +0900
        X-ASG-Debug-ID: 1256600149-686600430000-W4TwRL
        X-Barracuda-URL: http://spamgw.receiver.example:8000/cgi-bin/mark.cgi
        X-Barracuda-Connect: gw2.receiver.example[192.168.18.251]
        Received: from mail.sender.example (mail.sender.example [203.0.113.7])
        	by mx.receiver.example with ESMTP id 1; Tue, 27 Oct 2009 08:35:48 +0900
        From: "Bel" <bel@sender.example>
        To: someone@receiver.example
        X-ASG-Orig-Subj: Give her 3 hour rodeo
        Subject: [SPAM]  Give her 3 hour rodeo
        Date: Tue, 27 Oct 2009 10:34:11 +1000
        Message-ID: <1@sender.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=us-ascii
        X-Barracuda-Virus-Scanned: by Anti-SPAM System at receiver.example
        X-ASG-Tag: BRL
        X-Barracuda-Spam-Score: 5.46
        X-Barracuda-Spam-Status: Yes, SCORE=5.46
        X-Barracuda-Spam-Flag: YES
        X-Spam-Flag: YES
        X-Spam-Status: Yes, score=12.3 required=5.0 tests=BAYES_99
        X-Spam-Level: ************
        X-Virus-Scanned: amavisd-new at receiver.example
        X-AmavisStatus: SPAM
        X-BitDefenderWKS-Spam: yes

        Cheap pills, best prices, order now at http://pills.example/buy
        """;

    [Fact]
    public async Task A_message_tagged_and_stamped_by_other_filters_gives_the_model_the_same_input_as_the_untouched_one()
    {
        var clean = ModelInput.From(await Features(Clean));
        var tagged = ModelInput.From(await Features(Tagged));

        Assert.Equal(clean.Text, tagged.Text);
        Assert.Equal(clean.Meta, tagged.Meta);
        Assert.Equal(clean.Numbers, tagged.Numbers);
        Assert.DoesNotContain("spam", tagged.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("subj:spam", tagged.Meta, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Received_hops_inside_private_networks_are_not_counted()
    {
        var clean = await Features(Clean);
        var tagged = await Features(Tagged);

        Assert.Equal(1, clean.Headers.ReceivedCount);
        Assert.Equal(1, tagged.Headers.ReceivedCount);
    }

    [Theory]
    [InlineData("[SPAM]  Give her 3 hour rodeo", "Give her 3 hour rodeo")]
    [InlineData("[spam] [SPAM] Nothing heals better!", "Nothing heals better!")]
    [InlineData("***SPAM*** Cheap meds", "Cheap meds")]
    [InlineData("*****SPAM***** Cheap meds", "Cheap meds")]
    [InlineData("{Spam?} Cheap meds", "Cheap meds")]
    [InlineData("[Possible Spam] Cheap meds", "Cheap meds")]
    [InlineData("[Suspected SPAM] Cheap meds", "Cheap meds")]
    [InlineData("SPAM: Cheap meds", "Cheap meds")]
    [InlineData("  [SPAM 5.3] Cheap meds", "Cheap meds")]
    [InlineData("(Spam) Cheap meds", "Cheap meds")]
    public async Task Subject_verdict_tags_at_the_start_are_stripped(string subject, string expected)
    {
        var f = await Features(Clean.Replace("Subject: Give her 3 hour rodeo", "Subject: " + subject));
        Assert.Equal(expected, f.Subject);
        Assert.Equal(expected, FilterTags.StripSubjectTags(subject));
    }

    [Theory]
    [InlineData("[Spambayes] Deployment")]
    [InlineData("Re: [SPAM] is this tag ours?")]
    [InlineData("Spammers love this one")]
    [InlineData("Stop the [SPAM] now")]
    [InlineData("[SA] spam rules update")]
    public void Other_subjects_are_left_alone(string subject) =>
        Assert.Equal(subject, FilterTags.StripSubjectTags(subject));

    [Theory]
    [InlineData("from gw2.example (localhost [127.0.0.1]) by gw2.example with ESMTP", true)]
    [InlineData("from ns2.example (ns2.example [192.168.3.2]) by gw2.example with ESMTP", true)]
    [InlineData("by 10.143.160.8 with SMTP id m8cs83918wfo", true)]
    [InlineData("from [165.87.71.227] (helo=qkc) by 58.108.196.180.example with smtp", false)]
    [InlineData("from gw (gw [10.0.0.1]) by mx (mx [198.51.100.4]) with ESMTP", false)]
    [InlineData("(qmail 1234 invoked by uid 0); 27 Oct 2009", false)]
    public void Internal_hops_are_those_naming_only_private_addresses(string received, bool expected) =>
        Assert.Equal(expected, FilterTags.IsInternalHop(received));

    private static async Task<MessageFeatures> Features(string message)
    {
        var (_, f) = await FeatureExtractor.ExtractAsync(new MemoryStream(Encoding.UTF8.GetBytes(message)), CancellationToken.None);
        return f;
    }
}
