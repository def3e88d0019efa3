using System.Text;
using MailGateway.Scl.Model.Features;
using MailGateway.Scl.Model.Input;
using MimeKit;

namespace MailGateway.Scl.Model.Tests;

public sealed class BulkEvidenceTests
{
    private const string Newsletter = """
        Return-Path: <bounce-mc.us5_1234567.8901234-jane=example.org@mail123.suw11.mcdlv.net>
        DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=news.shop.example; s=k1; h=From:To; bh=x; b=y
        From: Shop News <news@news.shop.example>
        To: jane@example.org
        Subject: Our autumn collection
        Message-ID: <abc.123@mail123.suw11.mcdlv.net>
        List-Unsubscribe: <https://shop.example/u?id=1>, <mailto:u@shop.example>
        List-Unsubscribe-Post: List-Unsubscribe=One-Click
        Feedback-ID: 1234:5678:campaign:mailchimp
        Precedence: bulk
        MIME-Version: 1.0
        Content-Type: text/html; charset=utf-8

        <html><body><p>New in: coats.</p><a href="https://shop.example/unsubscribe?u=1">Unsubscribe</a>
        <img src="https://shop.example/open.gif?u=1" width="1" height="1" alt=""></body></html>
        """;

    private const string Letter = """
        From: Bob <bob@example.com>
        To: jane@example.org
        Subject: lunch tomorrow?
        Message-ID: <20261201.1@mail.example.com>
        DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1; h=From; bh=x; b=y

        Are you free at noon?
        """;

    [Fact]
    public void A_newsletter_sent_the_way_mailbox_providers_require_is_bcl_9_with_every_kind_of_evidence()
    {
        var bulk = Measure(Newsletter);

        Assert.Equal(9, bulk.Bcl);
        Assert.Equal(
            ["list-unsubscribe", "one-click", "precedence", "feedback-id", "esp", "verp", "dkim-aligned", "unsubscribe-link", "tracking-pixel"],
            bulk.Names());
    }

    [Fact]
    public void A_signed_personal_letter_is_bcl_0_and_alignment_alone_counts_for_nothing()
    {
        var bulk = Measure(Letter);

        Assert.True(bulk.DkimAlignedWithFrom);
        Assert.Equal(0, bulk.Bcl);
    }

    [Fact]
    public void A_discussion_list_message_is_below_exchanges_default_bulk_threshold()
    {
        var list = Letter.Replace("Subject:", "List-Id: <dev.lists.example.org>\nList-Unsubscribe: <mailto:dev-leave@lists.example.org>\nPrecedence: list\nSubject:")
            + "\n--\nTo unsubscribe, write to dev-leave@lists.example.org\n";

        var bulk = Measure(list);

        Assert.InRange(bulk.Bcl, 4, 6);
        Assert.True(bulk.ListId && bulk.ListUnsubscribe && bulk.BulkPrecedence && bulk.UnsubscribeLink);
        Assert.False(bulk.EspFingerprint || bulk.OneClickUnsubscribe);
    }

    // Shaped like usrp-users ham b297f05b43ed: a Proton Mail user's post to a mailman 3 list.
    private const string ProtonPostToList = """
        Return-Path: <dev-bounces+jane=example.org@lists.example.org>
        DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=protonmail.com; s=protonmail3; h=From; bh=x; b=y
        From: Olo via Dev <dev@lists.example.org>
        To: dev@lists.example.org
        Subject: Re: clock drift on the B210
        Message-ID: <x_QaVKXGmknlfRkvuULzZo=@protonmail.com>
        Feedback-ID: 47010692:user:proton
        X-Pm-Message-ID: 0292c4b59dbf0d669df6c27c79d9256f949c3f9e
        Precedence: list
        List-Id: "Dev discussion" <dev.lists.example.org>
        List-Post: <mailto:dev@lists.example.org>
        List-Unsubscribe: <mailto:dev-leave@lists.example.org>

        Which UHD version are you on?
        --
        To unsubscribe send an email to dev-leave@lists.example.org
        """;

    [Fact]
    public void A_proton_mail_users_post_to_a_discussion_list_stays_below_the_bulk_threshold()
    {
        var bulk = Measure(ProtonPostToList);

        Assert.False(bulk.FeedbackId);
        Assert.False(bulk.EspFingerprint);
        Assert.Equal(["list-unsubscribe", "list-id", "precedence", "verp", "unsubscribe-link"], bulk.Names());
        Assert.Equal(5, bulk.Bcl);
    }

    [Fact]
    public void A_feedback_id_counts_on_mail_no_discussion_list_resent()
    {
        var announcement = ProtonPostToList.Replace("List-Post: <mailto:dev@lists.example.org>", "List-Post: NO");

        Assert.True(Measure(announcement).FeedbackId);
        Assert.True(Measure(ProtonPostToList.Replace("List-Post: <mailto:dev@lists.example.org>", "X-Note: no List-Post")).FeedbackId);
    }

    [Fact]
    public void A_list_post_header_does_not_hide_the_feedback_id_of_an_email_service_providers_mail()
    {
        // Shaped like phishing-pot spam sample-340: Amazon SES mail resent through a Google group.
        var viaGroup = ProtonPostToList.Replace("@protonmail.com>", "@email.amazonses.com>");

        var bulk = Measure(viaGroup);

        Assert.True(bulk.EspFingerprint);
        Assert.True(bulk.FeedbackId);
    }

    [Fact]
    public void Postmark_is_known_by_its_mtasv_domain()
    {
        var postmark = Letter.Replace("d=example.com", "d=pm.mtasv.net");

        Assert.True(Measure(postmark).EspFingerprint);
    }

    [Theory]
    [InlineData("bounces+1234-abcd-jane=example.org@em.example.com", true)]
    [InlineData("r-help-bounces@r-project.org", false)]
    [InlineData("msprvs1=18294b6d0Qb9a=bounces-1234@bounce.example.net", true)]
    [InlineData("0102018c1f2e3d4a-1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901-000000@amazonses.com", true)]
    [InlineData("bob@example.com", false)]
    [InlineData("dev-admin@lists.example.org", false)]
    public void Return_paths_built_per_recipient_or_mailing_are_verp(string returnPath, bool verp) =>
        Assert.Equal(verp, BulkEvidence.IsVerp(returnPath[..returnPath.LastIndexOf('@')]));

    [Theory]
    [InlineData("""<img src="https://t.example/o.gif" width="1" height="1">""", true)]
    [InlineData("""<IMG style="width:1px;height:1px" src="https://t.example/o">""", true)]
    [InlineData("""<img src="https://shop.example/coat.jpg" width="600" height="400">""", false)]
    [InlineData("""<p>width="1"</p>""", false)]
    public void Tracking_pixels_are_1_by_1_images(string html, bool pixel) =>
        Assert.Equal(pixel, BulkEvidence.HasTrackingPixel(html));

    [Fact]
    public void The_dkim_domain_is_read_from_the_d_tag() =>
        Assert.Equal("news.shop.example", BulkEvidence.DkimDomain(" v=1; a=rsa-sha256; d=News.Shop.Example.; s=k1"));

    private static BulkEvidence Measure(string raw)
    {
        using var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw.Replace("\r\n", "\n"))));
        return FeatureExtractor.Extract(message).Bulk;
    }
}

public sealed class BulkModelTokensTests
{
    [Fact]
    public async Task The_model_reads_each_kind_of_bulk_evidence_and_the_bcl_as_tokens()
    {
        var raw = "From: news@shop.example\r\nSubject: coats\r\nList-Unsubscribe: <https://shop.example/u>\r\n" +
                  "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nFeedback-ID: 1:2:news\r\n\r\nNew coats.\r\n";
        var (_, features) = await FeatureExtractor.ExtractAsync(new MemoryStream(Encoding.ASCII.GetBytes(raw)), CancellationToken.None);

        var tokens = Input.ModelInput.From(features).Meta.Split(' ');

        Assert.Equal(["bulk:list-unsubscribe", "bulk:one-click", "bulk:feedback-id"], tokens.Where(t => t.StartsWith("bulk:", StringComparison.Ordinal)));
        Assert.Contains("bcl:5", tokens);
    }

    [Fact]
    public async Task A_letter_without_bulk_evidence_is_bcl_0_to_the_model()
    {
        var (_, features) = await FeatureExtractor.ExtractAsync(new MemoryStream("From: a@b.example\r\n\r\nhi\r\n"u8.ToArray()), CancellationToken.None);

        var tokens = Input.ModelInput.From(features).Meta.Split(' ');

        Assert.DoesNotContain(tokens, t => t.StartsWith("bulk:", StringComparison.Ordinal));
        Assert.Contains("bcl:0", tokens);
    }
}
