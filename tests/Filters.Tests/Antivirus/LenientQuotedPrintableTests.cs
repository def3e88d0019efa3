using System.Text;
using MailGateway.Filters.Antivirus;

namespace MailGateway.Filters.Tests.Antivirus;

public sealed class LenientQuotedPrintableTests
{
    [Fact]
    public void Base64_padding_at_a_line_end_is_not_quoted_printable()
    {
        Assert.False(LenientQuotedPrintable.HasEscapes("QUJDRA==\r\nfoo"u8));
        Assert.True(LenientQuotedPrintable.HasEscapes("caf=C3=A9"u8));
        Assert.True(LenientQuotedPrintable.HasEscapes("a long line=\r\nand another=\r\nend"u8));
    }

    [Fact]
    public void Invalid_escapes_before_real_ones_are_dropped_to_the_next_escape()
    {
        var decoded = Decode("=0X=50=\r\n=0X=4B=\r\n", new QpFlavour(QpInvalidEscape.DropToNextEscape, QpLineBreak.Lf));

        Assert.Equal("PK", decoded);
    }

    [Fact]
    public void Lower_case_hex_counts_as_invalid_when_only_upper_case_is_accepted()
    {
        var flavour = new QpFlavour(QpInvalidEscape.DropToNextEscape, QpLineBreak.Lf, UpperCaseHexOnly: true);

        Assert.Equal("PK", Decode("=0a=50=\r\n=0a=4B=\r\n", flavour));
    }

    [Fact]
    public void A_hex_digit_after_an_invalid_equals_sign_goes_with_it()
    {
        var decoded = Decode("=0P=0K=0=03=0=04", new QpFlavour(QpInvalidEscape.DropWithOneHexDigit, QpLineBreak.None));

        Assert.Equal("PK\u0003\u0004", decoded);
    }

    [Fact]
    public void Invalid_pairs_removed_first_leave_the_escape_they_were_hiding_in()
    {
        var flavour = new QpFlavour(QpInvalidEscape.RemovedFirst, QpLineBreak.CrLf, UpperCaseHexOnly: true);

        Assert.Equal("PK\u0003\t", Decode("=aP=aK==a03==a09", flavour));
    }

    [Fact]
    public void Hard_line_breaks_decode_to_crlf_lf_or_nothing()
    {
        Assert.Equal("a\r\nb", Decode("a\r\nb", new QpFlavour(QpInvalidEscape.DropWithOneHexDigit, QpLineBreak.CrLf)));
        Assert.Equal("a\nb", Decode("a\r\nb", new QpFlavour(QpInvalidEscape.DropWithOneHexDigit, QpLineBreak.Lf)));
        Assert.Equal("ab", Decode("a\r\nb", new QpFlavour(QpInvalidEscape.DropWithOneHexDigit, QpLineBreak.None)));
    }

    private static string Decode(string body, QpFlavour flavour) =>
        Encoding.Latin1.GetString(LenientQuotedPrintable.Decode(Encoding.Latin1.GetBytes(body), flavour));
}
