using System.Net;
using MailGateway.Filters.Chain;
using MailGateway.Gateway.Routing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailGateway.Gateway.Tests.Routing;

public sealed class DispositionRouterTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("mailgw-disposition-");
    private readonly SclRouter _scl;
    private readonly DispositionRouter _router;

    public DispositionRouterTests()
    {
        var file = Path.Combine(_dir.FullName, "thresholds.json");
        File.WriteAllText(file, """{ "Scl": { "JunkThreshold": 4, "ArchiveThreshold": 7, "RejectThreshold": 9 } }""");
        _scl = new SclRouter(file, NullLogger<SclRouter>.Instance);
        _router = new DispositionRouter(_scl);
    }

    private static MessageContext Context(int? scl, FilterDecision? decision = null)
    {
        var context = new MessageContext("id", new MessageEnvelope("s", IPAddress.Loopback, "h", "a@b.test", ["c@d.test"]),
            () => new MemoryStream("Subject: x\r\n\r\nb\r\n"u8.ToArray()), 16)
        { Decision = decision };
        if (scl is { } value)
        {
            context.ForceScl(value);
        }

        return context;
    }

    [Theory]
    [InlineData(null, "inbox")]
    [InlineData(-1, "inbox")]
    [InlineData(3, "inbox")]
    [InlineData(4, "junk")]
    [InlineData(7, "archive")]
    [InlineData(9, "rejected")]
    public void The_scl_decides_when_no_filter_did(int? scl, string disposition)
    {
        Assert.Equal(disposition, _router.Decide(Context(scl)).Name);
    }

    [Fact]
    public void A_filters_own_decision_comes_before_the_scl()
    {
        var refuse = Assert.IsType<RefuseDisposition>(_router.Decide(Context(0, new RefuseDecision(554, "5.7.1", "virus"))));
        Assert.Equal((554, "5.7.1", "virus"), (refuse.Code, refuse.EnhancedCode, refuse.Text));
        Assert.IsType<VirusArchiveDisposition>(_router.Decide(Context(-1, new VirusArchiveDecision("Eicar"))));
        Assert.IsType<ArchiveDisposition>(_router.Decide(Context(0, new ArchiveDecision("mime limits"))));
        Assert.Equal((550, "5.7.1"), _router.Decide(Context(9)) is RefuseDisposition r ? (r.Code, r.EnhancedCode) : (0, ""));
    }

    public void Dispose()
    {
        _scl.Dispose();
        _dir.Delete(true);
    }
}
