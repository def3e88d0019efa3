using MailGateway.Filters.Antivirus;

namespace MailGateway.Filters.Tests.Antivirus;

public sealed class LineBreakReadingsTests
{
    [Fact]
    public void Every_cr_and_lf_combination_is_produced_for_a_few_line_breaks()
    {
        // A binary "\n\r" became "\r\n\r\n" when the message's line ends were made canonical.
        var readings = LineBreakReadings.Of("PK\r\n\r\nZ"u8.ToArray()).ToList();

        Assert.Contains(readings, r => r.AsSpan().SequenceEqual("PK\n\rZ"u8));
        Assert.Contains(readings, r => r.AsSpan().SequenceEqual("PK\r\n\r\nZ"u8));
        Assert.Equal(1 + 4, readings.Count);
    }

    [Fact]
    public void Many_line_breaks_get_only_the_uniform_readings()
    {
        var body = Enumerable.Repeat("x\r\n"u8.ToArray(), LineBreakReadings.MaxCombinedLineBreaks + 1).SelectMany(b => b).ToArray();

        Assert.Equal(3, LineBreakReadings.Of(body).Count());
    }
}
