using System.Formats.Tar;
using MailGateway.Filters.Antivirus;

namespace MailGateway.Filters.Tests.Antivirus;

public sealed class ScanBundleTests
{
    [Fact]
    public void Parts_come_back_out_of_the_tar_in_order_and_byte_exact()
    {
        var parts = new[]
        {
            new TolerantPart("base64", Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray()),
            new TolerantPart("quoted-printable", [1, 2, 3]),
        };

        using var tar = ScanBundle.Create(parts);
        using var reader = new TarReader(tar);
        foreach (var part in parts)
        {
            var entry = reader.GetNextEntry(copyData: true)!;
            Assert.EndsWith(part.Method, entry.Name, StringComparison.Ordinal);
            using var content = new MemoryStream();
            entry.DataStream!.CopyTo(content);
            Assert.Equal(part.Content, content.ToArray());
        }

        Assert.Null(reader.GetNextEntry());
    }
}
