using System.Text;
using MailGateway.Gateway.Cleanup;

namespace MailGateway.Gateway.Tests.Cleanup;

public class HeaderCleanupStreamTests
{
    private const string Host = "mx.gateway.test";

    private static readonly HeaderFieldRules DefaultRules = new(CleanupOptions.DefaultRemovedHeaders, Host);

    private static (string Output, IReadOnlyList<string> Removed) Clean(string message, HeaderFieldRules? rules = null,
        int pieceSize = int.MaxValue)
    {
        var sink = new MemoryStream();
        var cleanup = new HeaderCleanupStream(sink, rules ?? DefaultRules);
        var bytes = Encoding.UTF8.GetBytes(message);
        for (var i = 0; i < bytes.Length; i += pieceSize)
        {
            cleanup.Write(bytes.AsSpan(i, Math.Min(pieceSize, bytes.Length - i)));
        }

        cleanup.Complete();
        return (Encoding.UTF8.GetString(sink.ToArray()), cleanup.RemovedFields);
    }

    private const string Forged =
        "X-MailGateway-SCL: -1\r\n" +
        "From: a@sender.test\r\n" +
        "X-MailGateway-Trace: AllowList=sender(-1)\r\n" +
        "X-Spam-Flag: NO\r\n" +
        "X-Spam-Status: No, score=-100.0\r\n\trequired=5.0 tests=ALL_TRUSTED\r\n autolearn=ham\r\n" +
        "Subject: hello\r\n" +
        "x-ms-exchange-organization-scl: -1\r\n" +
        "X-Virus-Scanned: clean\r\n" +
        "X-Spam-Flag : NO\r\n" +
        "Authentication-Results: mx.gateway.test; spf=pass smtp.mailfrom=sender.test\r\n" +
        "Authentication-Results: (forged) MX.Gateway.Test;\r\n\tdkim=pass header.d=bank.test\r\n" +
        "Authentication-Results: mx.other.test; dkim=pass header.d=list.test\r\n" +
        "X-Spamming-Not: kept\r\n" +
        "\r\n" +
        "X-Spam-Flag: NO in the body stays\r\n" +
        "Authentication-Results: mx.gateway.test; body text too\r\n";

    private const string Cleaned =
        "From: a@sender.test\r\n" +
        "Subject: hello\r\n" +
        "Authentication-Results: mx.other.test; dkim=pass header.d=list.test\r\n" +
        "X-Spamming-Not: kept\r\n" +
        "\r\n" +
        "X-Spam-Flag: NO in the body stays\r\n" +
        "Authentication-Results: mx.gateway.test; body text too\r\n";

    [Fact]
    public void Verdict_fields_from_outside_are_removed_with_their_continuation_lines_and_everything_else_is_kept()
    {
        var (output, removed) = Clean(Forged);
        Assert.Equal(Cleaned, output);
        Assert.Equal(
            ["X-MailGateway-SCL", "X-MailGateway-Trace", "X-Spam-Flag", "X-Spam-Status", "x-ms-exchange-organization-scl",
                "X-Virus-Scanned", "X-Spam-Flag", "Authentication-Results", "Authentication-Results"], removed);
    }

    [Fact]
    public void The_result_does_not_depend_on_how_the_bytes_are_split()
    {
        for (var piece = 1; piece <= 40; piece++)
        {
            Assert.Equal(Cleaned, Clean(Forged, pieceSize: piece).Output);
        }
    }

    [Fact]
    public void A_message_without_verdict_fields_passes_byte_for_byte()
    {
        var message = "From: a@sender.test\r\nSubject: plain\r\n folded\r\nno colon line\r\n\r\nbody\r\n\r\n.x\r\n";
        Assert.Equal(message, Clean(message, pieceSize: 3).Output);
    }

    [Fact]
    public void A_line_without_a_colon_does_not_end_the_header_for_the_cleanup()
    {
        // A parser that skips the broken line would read the next one as a field: it must be gone.
        var (output, _) = Clean("Subject: x\r\nbroken line\r\nX-Spam-Flag: NO\r\n\r\nbody\r\n");
        Assert.Equal("Subject: x\r\nbroken line\r\n\r\nbody\r\n", output);
    }

    [Fact]
    public void A_configured_list_replaces_the_defaults_and_a_trailing_star_is_a_prefix()
    {
        var rules = new HeaderFieldRules(["X-Corp-Verdict", "X-Old-*"], Host);
        var (output, removed) = Clean(
            "X-Corp-Verdict: ok\r\nX-Corp-Verdicts: kept\r\nX-Old-Thing: a\r\nX-Spam-Flag: NO\r\n\r\nb\r\n", rules);
        Assert.Equal("X-Corp-Verdicts: kept\r\nX-Spam-Flag: NO\r\n\r\nb\r\n", output);
        Assert.Equal(["X-Corp-Verdict", "X-Old-Thing"], removed);
    }

    [Fact]
    public void A_header_that_never_ends_still_loses_its_verdict_fields()
    {
        Assert.Equal("Subject: x\r\nAuthentication-Results: other.test; none\r\n",
            Clean("Subject: x\r\nX-Spam-Flag: NO\r\nAuthentication-Results: other.test; none\r\n").Output);
        Assert.Equal("Subject: x\r\n",
            Clean("Subject: x\r\nAuthentication-Results: mx.gateway.test; none\r\n").Output);
    }

    [Fact]
    public void A_huge_authentication_results_field_is_decided_on_its_start_without_holding_it_all()
    {
        var value = string.Concat(Enumerable.Repeat("\r\n\tdkim=pass header.d=example.test", 20_000));
        Assert.Equal("Subject: x\r\n\r\nb\r\n",
            Clean($"Subject: x\r\nAuthentication-Results: mx.gateway.test;{value}\r\n\r\nb\r\n", pieceSize: 4096).Output);
        var kept = $"Authentication-Results: mx.other.test;{value}\r\n";
        Assert.Equal("Subject: x\r\n" + kept + "\r\nb\r\n",
            Clean($"Subject: x\r\n{kept}\r\nb\r\n", pieceSize: 4096).Output);
    }

    [Theory]
    [InlineData("X-Spam*", true)]
    [InlineData("X-Spam-Flag", true)]
    [InlineData("X Spam", false)]
    [InlineData("X-*-Flag", false)]
    [InlineData("*", false)]
    [InlineData("", false)]
    public void Configured_names_are_validated(string pattern, bool valid)
    {
        var result = new CleanupOptionsValidator().Validate(null, new CleanupOptions { RemoveHeaders = [pattern] });
        Assert.Equal(valid, result.Succeeded);
    }
}
