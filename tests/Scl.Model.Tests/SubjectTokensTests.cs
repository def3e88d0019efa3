using System.Text;
using MailGateway.Scl.Model.Features;
using MailGateway.Scl.Model.Input;
using MailGateway.Scl.Model.Training;

namespace MailGateway.Scl.Model.Tests;

/// <summary>The subject's words reach the evidence bag as their own <c>subj:</c> tokens, beside the text bag.</summary>
public sealed class SubjectTokensTests
{
    [Fact]
    public async Task Each_run_of_letters_and_digits_of_the_subject_is_a_lower_cased_token_in_order()
    {
        var meta = await Meta("Re: FREE Money!!! now-only $99 Größe");

        Assert.Equal(["subj:re", "subj:free", "subj:money", "subj:now", "subj:only", "subj:99", "subj:größe"], SubjectTokens(meta));
    }

    [Fact]
    public async Task A_filter_tag_in_front_of_the_subject_gives_no_token()
    {
        var meta = await Meta("[SPAM] Cheap pills");

        Assert.Equal(["subj:cheap", "subj:pills"], SubjectTokens(meta));
    }

    [Fact]
    public async Task Runs_over_30_characters_are_skipped_and_at_most_24_words_are_kept()
    {
        var thirty = new string('a', 30);
        var meta = await Meta($"{thirty} {thirty}b " + string.Join(' ', Enumerable.Range(1, 40).Select(i => "w" + i)));

        var tokens = SubjectTokens(meta);
        Assert.Equal(24, tokens.Length);
        Assert.Equal("subj:" + thirty, tokens[0]);
        Assert.Equal("subj:w1", tokens[1]);
        Assert.Equal("subj:w23", tokens[^1]);
    }

    [Fact]
    public async Task A_message_without_a_subject_has_no_subject_token()
    {
        var meta = await Meta(null);

        Assert.Empty(SubjectTokens(meta));
        Assert.Contains("mailer:none", meta.Split(' '));
    }

    private static string[] SubjectTokens(string meta) => meta.Split(' ').Where(t => t.StartsWith("subj:", StringComparison.Ordinal)).ToArray();

    private static async Task<string> Meta(string? subject)
    {
        var message = new StringBuilder()
            .Append("From: someone@sender.example\r\nTo: you@receiver.example\r\n")
            .Append(subject is null ? "" : $"Subject: =?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(subject))}?=\r\n")
            .Append("Date: Tue, 1 Dec 2026 10:00:00 +0000\r\nMessage-ID: <1@sender.example>\r\nMIME-Version: 1.0\r\n")
            .Append("Content-Type: text/plain; charset=us-ascii\r\n\r\nHello there.\r\n")
            .ToString();
        var (_, features) = await FeatureExtractor.ExtractAsync(new MemoryStream(Encoding.ASCII.GetBytes(message)), CancellationToken.None);
        return ModelInput.From(features).Meta;
    }
}
