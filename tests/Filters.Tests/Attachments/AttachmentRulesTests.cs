using MailGateway.Filters.Attachments;

namespace MailGateway.Filters.Tests.Attachments;

public class AttachmentRulesTests
{
    private static readonly AttachmentRules Defaults = AttachmentRules.From(new AttachmentOptions());

    [Theory]
    [InlineData("invoice.exe", ".exe")]
    [InlineData("Invoice.PDF.Exe", ".exe")]
    [InlineData("evil.scr. . ", ".scr")]
    [InlineData(@"dir\sub\run.JS", ".js")]
    [InlineData("a/b/c.vbs", ".vbs")]
    [InlineData("noextension", null)]
    [InlineData("trailing.", null)]
    [InlineData(null, null)]
    public void The_extension_is_the_one_windows_acts_on(string? name, string? expected) =>
        Assert.Equal(expected, AttachmentRules.Extension(name));

    [Theory]
    [InlineData("setup.exe")]
    [InlineData("screen.scr")]
    [InlineData("run.js")]
    [InlineData("macro.vbs")]
    [InlineData("disk.iso")]
    [InlineData("shortcut.lnk")]
    public void The_default_list_blocks_the_exchange_extensions(string name) =>
        Assert.Equal($"name({AttachmentRules.Extension(name)})", Defaults.Check(name, FileKind.Other));

    [Fact]
    public void Ordinary_documents_pass_and_a_blocked_real_type_is_blocked_whatever_the_name()
    {
        Assert.Null(Defaults.Check("report.pdf", FileKind.Pdf));
        Assert.Null(Defaults.Check("data.zip", FileKind.Zip));
        Assert.Null(Defaults.Check("old.doc", FileKind.OleCompound));
        Assert.Equal("type(PeExecutable)", Defaults.Check("invoice.pdf", FileKind.PeExecutable));
        Assert.Equal("type(Lnk)", Defaults.Check("photo.jpg", FileKind.Lnk));
    }

    [Fact]
    public void A_configured_list_replaces_the_default_one()
    {
        var rules = AttachmentRules.From(new AttachmentOptions { Block = ["PDF", ".docm"], BlockTypes = [FileKind.OleCompound] });
        Assert.Equal("name(.pdf)", rules.Check("a.pdf", FileKind.Pdf));
        Assert.Equal("name(.docm)", rules.Check("a.docm", FileKind.Zip));
        Assert.Null(rules.Check("a.exe", FileKind.Other));
        Assert.Equal("type(OleCompound)", rules.Check("a.bin", FileKind.OleCompound));
    }

    [Fact]
    public void A_blocked_file_outweighs_an_encrypted_archive_which_outweighs_an_unscannable_one()
    {
        var blocked = new AttachmentFinding(AttachmentFindingKind.Blocked, "a.exe", "name(.exe)");
        var encrypted = new AttachmentFinding(AttachmentFindingKind.EncryptedArchive, "b.zip", "encrypted-archive");
        var unscannable = new AttachmentFinding(AttachmentFindingKind.Unscannable, "c.zip", "archive-entries>1000");

        Assert.Same(encrypted, AttachmentFinding.Worst(unscannable, encrypted));
        Assert.Same(encrypted, AttachmentFinding.Worst(encrypted, unscannable));
        Assert.Same(blocked, AttachmentFinding.Worst(encrypted, blocked));
        Assert.Same(unscannable, AttachmentFinding.Worst(null, unscannable));
        Assert.Null(AttachmentFinding.Worst(null, null));
    }

    [Fact]
    public void The_validator_names_a_wrong_key()
    {
        var validator = new AttachmentOptionsValidator();
        Assert.True(validator.Validate(null, new AttachmentOptions()).Succeeded);
        var bad = validator.Validate(null, new AttachmentOptions { Action = AttachmentAction.Deliver, MaxArchiveEntries = 0, Block = [" . "] });
        Assert.False(bad.Succeeded);
        Assert.Contains("Attachments:Action", bad.FailureMessage);
        Assert.Contains("Attachments:MaxArchiveEntries", bad.FailureMessage);
        Assert.Contains("Attachments:Block", bad.FailureMessage);
    }
}
