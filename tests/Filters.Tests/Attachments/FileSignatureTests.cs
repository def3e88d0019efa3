using MailGateway.Filters.Attachments;

namespace MailGateway.Filters.Tests.Attachments;

public class FileSignatureTests
{
    public static TheoryData<string, FileKind> Heads => new()
    {
        { "4D5A90000300000004000000FFFF", FileKind.PeExecutable },
        { "7F454C46020101000000", FileKind.Elf },
        { "CFFAEDFE0C000001", FileKind.MachO },
        { "FEEDFACE00000007", FileKind.MachO },
        { "CAFEBABE00000002", FileKind.MachO },
        { "CAFEBABE00000034", FileKind.JavaClass },
        { "2321", FileKind.ShellScript },
        { "4C0000000114020000000000C000000000000046", FileKind.Lnk },
        { "D0CF11E0A1B11AE10000", FileKind.OleCompound },
        { "504B0304140000000800", FileKind.Zip },
        { "504B0506000000000000", FileKind.Zip },
        { "377ABCAF271C0004", FileKind.SevenZip },
        { "526172211A0700", FileKind.Rar },
        { "526172211A070100", FileKind.Rar },
        { "1F8B0800", FileKind.Gzip },
        { "255044462D312E37", FileKind.Pdf },
        { "48656C6C6F", FileKind.Other },
        { "", FileKind.Other },
    };

    [Theory]
    [MemberData(nameof(Heads))]
    public void The_first_bytes_tell_the_real_type(string hex, FileKind expected) =>
        Assert.Equal(expected, FileSignature.Detect(Convert.FromHexString(hex)));

    [Fact]
    public void An_iso_9660_image_is_found_by_its_signature_at_0x8001()
    {
        var image = new byte[FileSignature.SniffLength];
        "CD001"u8.CopyTo(image.AsSpan(0x8001));
        Assert.Equal(FileKind.Iso, FileSignature.Detect(image));
        // One byte short of the signature's end it cannot be told.
        Assert.Equal(FileKind.Other, FileSignature.Detect(image.AsSpan(0, FileSignature.SniffLength - 1)));
    }
}
