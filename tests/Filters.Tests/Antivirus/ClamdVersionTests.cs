using MailGateway.Filters.Antivirus;

namespace MailGateway.Filters.Tests.Antivirus;

public sealed class ClamdVersionTests
{
    [Fact]
    public void Version_with_official_databases_keeps_the_database_version()
    {
        var version = ClamdVersion.Parse("ClamAV 1.4.3/27500/Tue Jan 14 09:38:45 2025\0");

        Assert.Equal("1.4.3", version.Engine);
        Assert.Equal("27500", version.Database);
        Assert.Equal("ClamAV 1.4.3/27500", version.ToString());
    }

    [Fact]
    public void Version_without_databases_is_the_engine_alone()
    {
        var version = ClamdVersion.Parse("ClamAV 1.4.6");

        Assert.Equal("1.4.6", version.Engine);
        Assert.Null(version.Database);
        Assert.Equal("ClamAV 1.4.6", version.ToString());
    }

    [Fact]
    public void Unexpected_version_text_is_kept_whole()
    {
        Assert.Equal("ClamAV something-else", ClamdVersion.Parse("something-else").ToString());
    }
}
