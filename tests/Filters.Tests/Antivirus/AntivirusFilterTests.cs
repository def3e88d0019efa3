using System.Net;
using System.Text;
using MailGateway.Filters.Antivirus;
using MailGateway.Filters.Chain;

namespace MailGateway.Filters.Tests.Antivirus;

[Collection(ClamdCollection.Name)]
public sealed class AntivirusFilterTests(ClamdFixture clamd)
{
    [Fact]
    public async Task A_zip_in_base64_with_padding_inside_its_groups_is_infected_by_the_tolerant_pass()
    {
        // Standard decoders (clamd's, MimeKit's) stop or stumble at "=" inside the data; some clients read on.
        var zip = TestMessages.Zip(("eicar.com", TestMessages.Eicar));
        var encoded = string.Join("=", Chunk(Convert.ToBase64String(zip).TrimEnd('='), 4)) + "=";
        var message = "From: a@example.org\r\nMime-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                      + "--b\r\nContent-Type: application/zip\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                      + string.Join("\r\n", Chunk(encoded, 75)) + "\r\n--b--\r\n";

        var (result, context) = await RunAsync(message);

        Assert.Equal("infected-tolerant", result.Outcome);
        Assert.IsType<RefuseDecision>(context.Decision);
    }

    [Fact]
    public async Task Plain_text_is_clean_without_a_tolerant_scan()
    {
        var (result, _) = await RunAsync("From: a@example.org\r\nSubject: hi\r\n\r\n" + string.Concat(Enumerable.Repeat("1XXXXXXXXXXXXXXXX\r\n", 50)));

        Assert.Equal("clean", result.Outcome);
    }

    private async Task<(FilterStepResult Result, MessageContext Context)> RunAsync(string message)
    {
        var bytes = Encoding.ASCII.GetBytes(message);
        var context = new MessageContext("t1", new MessageEnvelope("s1", IPAddress.Loopback, "client.test", "a@example.org", ["b@example.com"]),
            () => new MemoryStream(bytes), bytes.Length);
        var result = await new AntivirusFilter(clamd.CreateScanner()).RunAsync(context, CancellationToken.None);
        return (result, context);
    }

    private static string[] Chunk(string text, int size) =>
        Enumerable.Range(0, (text.Length + size - 1) / size).Select(i => text.Substring(i * size, Math.Min(size, text.Length - i * size))).ToArray();
}
