using MailGateway.Gateway.Tests.Infrastructure;
using MimeKit;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>The shipped model and the image-heavy heuristic in the chain, over SMTP, with the default thresholds.</summary>
public class ModelRoutingTests
{
    private static string Fixtures(string kind) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "corpus", kind);

    private static async Task<int> SendRawAsync(GatewayProcess gateway, string to, byte[] message)
    {
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await client.BeginMessageAsync("sender@sender.test", to);
        await client.SendAsync(WireFormat.Stuff(WireFormat.NormalizeLineEnds(message)));
        return (await client.ReadReplyAsync()).Code;
    }

    /// <summary>0 inbox, 1 junk, 2 archive: how far from the inbox a recipient's copy went.</summary>
    private static int FolderRank(GatewayProcess gateway, string to) =>
        gateway.Messages(to).Count == 1 ? 0
        : gateway.Messages(to, ".Junk").Count == 1 ? 1
        : gateway.StoredCopies(to).Count == 1 ? 2
        : throw new Xunit.Sdk.XunitException($"no single stored copy for {to}");

    [Fact]
    public async Task Corpus_spam_goes_to_junk_or_archive_and_corpus_ham_to_the_inbox()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        var spam = Directory.GetFiles(Fixtures("spam")).Where(f => f.EndsWith(".eml")).ToList();
        var ham = Directory.GetFiles(Fixtures("ham")).Where(f => f.EndsWith(".eml")).ToList();
        Assert.NotEmpty(spam);
        Assert.NotEmpty(ham);
        for (var i = 0; i < spam.Count; i++)
        {
            Assert.Equal(250, await SendRawAsync(gateway, $"spam{i}@example.org", await File.ReadAllBytesAsync(spam[i])));
            Assert.True(FolderRank(gateway, $"spam{i}@example.org") >= 1, $"{spam[i]} reached the inbox");
        }

        for (var i = 0; i < ham.Count; i++)
        {
            Assert.Equal(250, await SendRawAsync(gateway, $"ham{i}@example.org", await File.ReadAllBytesAsync(ham[i])));
            Assert.True(FolderRank(gateway, $"ham{i}@example.org") == 0, $"{ham[i]} did not reach the inbox");
            var stored = await File.ReadAllTextAsync(gateway.Messages($"ham{i}@example.org")[0]);
            Assert.Matches(@"X-MailGateway-Trace: .*Model=p=", stored);
        }
    }

    [Fact]
    public async Task An_image_only_message_with_one_line_of_text_lands_at_least_one_folder_worse_than_the_text_alone()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        const string line = "Limited time deal, click below";
        var textOnly = TestMail.Text("textonly@example.org", line, line, from: "shop@sender.test");
        var withImage = TestMail.Text("withimage@example.org", line, "", from: "shop@sender.test");
        var image = new byte[30_000];
        new Random(1).NextBytes(image);
        var builder = new BodyBuilder { HtmlBody = $"<html><body><p>{line}</p><img src=\"cid:img1\"></body></html>" };
        var linked = builder.LinkedResources.Add("offer.png", image, new ContentType("image", "png"));
        linked.ContentId = "img1";
        withImage.Body = builder.ToMessageBody();

        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, textOnly)).Code);
        Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort, withImage)).Code);
        var textRank = FolderRank(gateway, "textonly@example.org");
        var imageRank = FolderRank(gateway, "withimage@example.org");
        var imageCopy = await File.ReadAllTextAsync(gateway.StoredCopies("withimage@example.org")[0]);
        Assert.Contains("ImageHeuristic=image-only", imageCopy);
        Assert.True(imageRank > textRank, $"text-only went to rank {textRank}, with image to rank {imageRank}");
    }
}
