using MailGateway.Scl.Model.Features;

namespace MailGateway.Scl.Model.Tests;

public sealed class MessageIdShapeTests
{
    [Theory]
    [InlineData("<002a01c24a99$f8570760$603a2f18@177h501>", "h$h$h@")]
    [InlineData("<20020805055902.CF45B294098@xent.com>", "d.H@")]
    [InlineData("<2392857-220021121223711257@designer>", "d-d@")]
    [InlineData("<.AAA-24721820-08683,4237.1036829954@Mail-EMS-101.Amazon.com.>", ".A-d-d,d.d@")]
    [InlineData("<Pine.LNX.4.44.0208051256140.2345-100000@host.example>", "m.A.d.d.d.d-d@")]
    [InlineData("<39895881_74317521>", "d_d")]
    [InlineData("<a.b.c.d.e.f.g.h.i.j@x>", "a.a.a.a.a.a.a.a@")]
    [InlineData("<@x>", "none")]
    [InlineData(null, "none")]
    public void Random_parts_are_abstracted_and_the_separators_kept(string? messageId, string expected) =>
        Assert.Equal(expected, MessageIdShape.Of(messageId));
}
