using MailGateway.Filters.Antivirus;

namespace MailGateway.Filters.Tests.Antivirus;

public sealed class ScanVerdictTests
{
    [Fact]
    public void Clean_header_names_engine_and_database()
    {
        var verdict = new CleanVerdict(ClamdVersion.Parse("ClamAV 1.4.6/27500/Tue Jan 14 09:38:45 2025"));

        Assert.Equal("ClamAV 1.4.6/27500", verdict.VirusScannedHeaderValue);
    }

    [Theory]
    [InlineData(ScanFailureReason.Unreachable, "skipped (unreachable)")]
    [InlineData(ScanFailureReason.Timeout, "skipped (timeout)")]
    [InlineData(ScanFailureReason.SizeLimitExceeded, "skipped (size limit exceeded)")]
    [InlineData(ScanFailureReason.Error, "skipped (error)")]
    public void Failed_header_names_the_reason_but_not_the_detail(ScanFailureReason reason, string header)
    {
        Assert.Equal(header, new FailedVerdict(reason, "internal detail").VirusScannedHeaderValue);
    }

    [Fact]
    public void Infected_signature_is_made_safe_for_a_reply_line()
    {
        var verdict = new InfectedVerdict("Evil\r\n250 OK\u00e9");

        Assert.Equal("Evil??250 OK?", verdict.Signature);
    }
}
