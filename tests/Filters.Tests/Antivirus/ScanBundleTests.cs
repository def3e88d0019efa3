using System.Formats.Tar;
using MailGateway.Filters.Antivirus;

namespace MailGateway.Filters.Tests.Antivirus;

public sealed class ScanBundleTests
{
    [Theory]
    [InlineData(1000)]
    [InlineData(3 * ScanBundle.MemoryLimitBytes)]
    public void Parts_come_back_out_of_the_tar_in_order_and_byte_exact(int firstPartBytes)
    {
        var parts = new[]
        {
            new TolerantPart("base64", Enumerable.Range(0, firstPartBytes).Select(i => (byte)i).ToArray()),
            new TolerantPart("quoted-printable", [1, 2, 3]),
        };

        using var tar = ScanBundle.Create(parts);
        // Past the memory limit the bundle is a temporary file, not a second in-memory copy of the parts.
        Assert.Equal(firstPartBytes > ScanBundle.MemoryLimitBytes, tar is FileStream);
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
