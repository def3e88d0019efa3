using MailGateway.Gateway.Admin;

namespace MailGateway.Gateway.Tests.Admin;

public class TraceWordsTests
{
    [Fact]
    public void The_header_trace_reads_as_one_sentence_per_filter()
    {
        var entries = TraceWords.Parse(
            "Spf=none[868us] Keywords=bad+3:\"free_money\"[118us] Model=p=0.934(none->7)[2412us] Bulk=bcl-5:list_a[12us] note=over_size");

        var words = TraceWords.Explain(entries).ToDictionary(e => e.Filter, e => e.Words);

        Assert.Equal(["Spf", "Keywords", "Model", "Bulk"], entries.Select(e => e.Filter));
        Assert.Equal("none [868 µs]", words["Spf"]);
        Assert.Equal("bad phrase \"free money\", SCL +3 [118 µs]", words["Keywords"]);
        Assert.Equal("SCL 7 (spam probability 93%) [2.4 ms]", words["Model"]);
        Assert.Equal("bulk complaint level 5 (list a) [12 µs]", words["Bulk"]);
    }

    [Fact]
    public void A_forced_keyword_and_a_skipped_filter_say_what_happened()
    {
        var words = TraceWords.Summary(TraceWords.Parse("Keywords=bad:\"free_money\"(none->9)[110us] Model=skipped-forced[2us]"));

        Assert.Equal("Keywords: bad phrase \"free money\" (SCL none → 9) [110 µs]; Model: not run: the SCL was already decided [2 µs]", words);
    }

    [Fact]
    public void Only_the_model_filters_score_is_a_model_score_not_its_skips()
    {
        var entries = TraceWords.Parse("Model=p=0.934(none->7)[2412us] Model=skipped-forced[2us] Model=no-model[1us] Keywords=p=1[3us]");

        Assert.Equal([true, false, false, false], entries.Select(TraceWords.IsModelScore));
    }

    [Fact]
    public void Tokens_that_are_not_trace_entries_are_skipped()
    {
        Assert.Empty(TraceWords.Parse("none garbage =x[1us] Model=ok"));
    }
}
