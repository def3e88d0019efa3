using System.Text;
using MailGateway.Scl.Model.Features;

namespace MailGateway.Scl.Model.Tests;

public sealed class FeatureExtractorTests
{
    [Fact]
    public async Task Html_is_turned_into_text_and_links_images_and_header_evidence_are_measured()
    {
        var message = """
            From: "Bank" <service@bank.example>
            Reply-To: collect@elsewhere.test
            Return-Path: <bounce@bulk.test>
            Subject: =?utf-8?B?VXJnZW50?=
            X-Mailer: SuperMailer 5.0
            MIME-Version: 1.0
            Content-Type: multipart/related; boundary="b"

            --b
            Content-Type: text/html; charset=utf-8

            <html><head><style>p{color:red}</style><script>var x=1;</script></head>
            <body><p>Verify&nbsp;your account</p><a href="http://192.168.1.9/login">here</a>
            <img src="https://track.example.net/p.gif"><img src="cid:logo"></body></html>
            --b
            Content-Type: image/png; name="logo.png"
            Content-Transfer-Encoding: base64
            Content-ID: <logo>

            iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==
            --b--
            """;
        var (_, f) = await FeatureExtractor.ExtractAsync(new MemoryStream(Encoding.UTF8.GetBytes(message)), CancellationToken.None);

        Assert.Equal("Urgent", f.Subject);
        Assert.Contains("Verify your account", f.BodyText);
        Assert.DoesNotContain("color:red", f.BodyText);
        Assert.DoesNotContain("var x", f.BodyText);
        Assert.True(f.HasHtml);
        Assert.False(f.HasPlainText);
        Assert.Equal(1, f.Urls.IpLiteralCount);
        Assert.Contains("192.168.1.9", f.Urls.Domains);
        Assert.Equal(1, f.Images.ImagePartCount);
        Assert.Equal(1, f.Images.RemoteImageCount);
        Assert.Equal(1, f.Images.InlineImageReferenceCount);
        Assert.True(f.Images.ImageBytes > 0);
        Assert.True(f.Headers.ReplyToDiffersFromFrom);
        Assert.True(f.Headers.ReturnPathDiffersFromFrom);
        Assert.True(f.Headers.EncodedWordSubject);
        Assert.True(f.Headers.MissingDate);
        Assert.True(f.Headers.MissingMessageId);
        Assert.Equal("supermailer", f.Headers.Mailer);
        Assert.Equal("supermailer", f.Headers.MailerProduct);
        Assert.Equal("", f.Headers.MessageIdDomain);
        Assert.Contains("utf-8", f.Headers.Charsets);
    }

    [Fact]
    public async Task Attachments_are_listed_with_extension_and_size()
    {
        var message = """
            From: a@example.com
            Date: Mon, 1 Jan 2024 00:00:00 +0000
            Message-ID: <1@example.com>
            Subject: invoice
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: text/plain

            see attached
            --b
            Content-Type: application/zip; name="Invoice.ZIP"
            Content-Disposition: attachment; filename="Invoice.ZIP"
            Content-Transfer-Encoding: base64

            UEsDBBQAAAAIAAAAIQAAAAAAAAAAAAAAAAAAAAAA
            --b--
            """;
        var (_, f) = await FeatureExtractor.ExtractAsync(new MemoryStream(Encoding.UTF8.GetBytes(message)), CancellationToken.None);

        var attachment = Assert.Single(f.Attachments);
        Assert.Equal("zip", attachment.Extension);
        Assert.Equal("application/zip", attachment.MediaType);
        Assert.True(attachment.Bytes > 0);
        Assert.False(f.Headers.MissingDate);
        Assert.False(f.Headers.MissingMessageId);
        Assert.Equal("see attached", f.BodyText);
    }

    [Fact]
    public async Task Legacy_charsets_are_decoded()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = Encoding.ASCII.GetBytes("Subject: x\nContent-Type: text/plain; charset=koi8-r\n\n")
            .Concat(Encoding.GetEncoding("koi8-r").GetBytes("Привет мир")).ToArray();
        var (_, f) = await FeatureExtractor.ExtractAsync(new MemoryStream(bytes), CancellationToken.None);
        Assert.Equal("Привет мир", f.BodyText);
        Assert.Contains("koi8-r", f.Headers.Charsets);
    }

    [Theory]
    [InlineData("Microsoft Outlook Express 6.00.2600.0000", "microsoft-outlook-express")]
    [InlineData("Microsoft CDO for Windows 2000", "microsoft-cdo-for-windows")]
    [InlineData("Microsoft Outlook IMO, Build 9.0.2416 (9.0.2910.0)", "microsoft-outlook-imo-build")]
    [InlineData("Mozilla/5.0 (X11; U; Linux i686)", "mozilla")]
    [InlineData("  Mutt/1.4i", "mutt")]
    [InlineData("", "")]
    public void Mailer_product_is_the_name_before_the_version(string header, string expected) =>
        Assert.Equal(expected, MailerName.Product(header));

    [Theory]
    [InlineData("<20020805055902.CF45B294098@xent.com>", "xent.com")]
    [InlineData(" <002a01c24a99$f8570760$603a2f18@177h501> ", "177h501")]
    [InlineData("<.AAA-24721820-08683,4237.1036829954@Mail-EMS-101.Amazon.com.>", "mail-ems-101.amazon.com")]
    [InlineData("<no-at-sign>", "")]
    [InlineData("<a@b c>", "")]
    [InlineData(null, "")]
    public void Message_id_domain_is_its_right_hand_side(string? header, string expected) =>
        Assert.Equal(expected, DomainNames.OfMessageId(header));

    [Theory]
    [InlineData("from nb (202.59.254.140.idn.co.th [202.59.254.140]) by xent.com (Postfix)", "helo-word ip-in-rdns")]
    [InlineData("from mail.example.com (mail.example.com [192.0.2.7]) by mx.example.org", "")]
    [InlineData("from [192.0.2.7] (unknown [192.0.2.7]) by mx.example.org", "helo-ip no-rdns")]
    [InlineData("from helo.test (192.0.2.7) by mx.example.org", "no-rdns")]
    [InlineData("by localhost with IMAP (fetchmail-5.9.0)", "")]
    [InlineData("from [201.187.11.125] (sw59-152-110.adsl.seed.net.tw [61.59.152.110]) by lugh.tuatha.org", "helo-ip ip-in-rdns")]
    [InlineData("from mail.example.com (root@out.example.com [192.0.2.7]) by mx.example.org", "")]
    [InlineData("from M5Mailer (unknown [202.59.255.35]) by xent.com (Postfix)", "helo-word no-rdns")]
    [InlineData("from mail.espial.com (m209-202-100-82.espial.com [209.202.100.82] (may be forged)) by webnote.net", "may-be-forged ip-in-rdns")]
    public void Relay_host_evidence_comes_from_the_received_from_clause(string received, string expected)
    {
        var flags = new List<string>();
        ReceivedHop.AddRelayHostFlags(received, flags);

        Assert.Equal(expected, string.Join(" ", flags));
    }
}
