using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using MailGateway.Filters.Attachments;
using MailGateway.Filters.Chain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using static MailGateway.Filters.Tests.Attachments.ArchiveSamples;

namespace MailGateway.Filters.Tests.Attachments;

public sealed class AttachmentFilterTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<(string Instrument, long Value, string Tags)> _measurements = new();
    private readonly MeterListener _listener = new();

    public AttachmentFilterTests()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (_measurements)
            {
                _measurements.Add((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"))));
            }
        });
        _listener.Start();
    }

    private AttachmentFilter Filter(AttachmentOptions? options = null) =>
        new(Options.Create(options ?? new AttachmentOptions()), new AttachmentMetrics(_services.GetRequiredService<IMeterFactory>()),
            NullLogger<AttachmentFilter>.Instance);

    private static async Task<(FilterStepResult Result, MessageContext Context)> RunAsync(AttachmentFilter filter, MimeMessage message)
    {
        var context = Context(message);
        return (await filter.RunAsync(context, CancellationToken.None), context);
    }

    [Fact]
    public async Task A_blocked_exe_is_refused_with_554_5_7_1_naming_the_file()
    {
        var (result, context) = await RunAsync(Filter(), WithAttachments(("setup.exe", Executable)));

        var refuse = Assert.IsType<RefuseDecision>(context.Decision);
        Assert.Equal((554, "5.7.1"), (refuse.Code, refuse.EnhancedCode));
        Assert.Contains("setup.exe", refuse.Text);
        Assert.True(result.StopChain);
        Assert.Equal("blocked(setup.exe:name(.exe))-rejected", result.Outcome);
        Assert.Contains(_measurements, m => m.Instrument == "mailgateway.attachments.verdicts" && m.Tags == "verdict=blocked,action=reject");
    }

    [Fact]
    public async Task A_renamed_pdf_that_is_really_an_executable_is_caught_by_its_magic_bytes()
    {
        var (result, context) = await RunAsync(Filter(), WithAttachments(("invoice.pdf", Executable)));

        Assert.IsType<RefuseDecision>(context.Decision);
        Assert.Equal("blocked(invoice.pdf:type(PeExecutable))-rejected", result.Outcome);
    }

    [Fact]
    public async Task An_ordinary_pdf_and_a_zip_of_documents_pass()
    {
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n");
        var zip = Zip(("report.pdf", pdf), ("notes.txt", "hello"u8.ToArray()));

        var (result, context) = await RunAsync(Filter(), WithAttachments(("report.pdf", pdf), ("docs.zip", zip)));

        Assert.Null(context.Decision);
        Assert.False(result.StopChain);
        Assert.Equal("clean(3parts,2entries)", result.Outcome);
    }

    [Fact]
    public async Task Archive_action_keeps_a_blocked_message_in_the_archive()
    {
        var (result, context) = await RunAsync(Filter(new AttachmentOptions { Action = AttachmentAction.Archive }),
            WithAttachments(("run.vbs", "MsgBox 1"u8.ToArray())));

        var archive = Assert.IsType<ArchiveDecision>(context.Decision);
        Assert.Contains("run.vbs", archive.Reason);
        Assert.Equal("blocked(run.vbs:name(.vbs))-archived", result.Outcome);
    }

    [Fact]
    public async Task A_zip_holding_a_js_file_is_caught_one_level_down()
    {
        var zip = Zip(("readme.txt", "hi"u8.ToArray()), ("payload/run.js", "WScript.Echo(1)"u8.ToArray()));

        var (result, context) = await RunAsync(Filter(), WithAttachments(("invoice.zip", zip)));

        var refuse = Assert.IsType<RefuseDecision>(context.Decision);
        Assert.Contains("invoice.zip/payload/run.js", refuse.Text);
        Assert.Equal("blocked(invoice.zip/payload/run.js:name(.js))-rejected", result.Outcome);
    }

    [Fact]
    public async Task A_zip_entry_renamed_to_txt_is_caught_by_its_decompressed_first_bytes()
    {
        var zip = Zip(("readme.txt", Executable));

        var (result, _) = await RunAsync(Filter(), WithAttachments(("files.zip", zip)));

        Assert.Equal("blocked(files.zip/readme.txt:type(PeExecutable))-rejected", result.Outcome);
    }

    [Fact]
    public async Task A_7z_archive_is_opened_too()
    {
        var sevenZip = SevenZip(("letter.txt", "dear"u8.ToArray()), ("macro.vbs", "MsgBox 1"u8.ToArray()));

        var (result, _) = await RunAsync(Filter(), WithAttachments(("files.7z", sevenZip)));

        Assert.Equal("blocked(files.7z/macro.vbs:name(.vbs))-rejected", result.Outcome);
    }

    [Fact]
    public async Task A_7z_entry_that_is_an_elf_binary_is_caught_by_type()
    {
        var sevenZip = SevenZip(("a.txt", "aaaa"u8.ToArray()), ("tool", [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0]));

        var (result, _) = await RunAsync(Filter(), WithAttachments(("tools.7z", sevenZip)));

        Assert.Equal("blocked(tools.7z/tool:type(Elf))-rejected", result.Outcome);
    }

    [Fact]
    public async Task A_rar_archive_is_opened_too()
    {
        var rar = Rar(("letter.txt", "dear"u8.ToArray()), ("setup.scr", "not a screensaver"u8.ToArray()));

        var (result, _) = await RunAsync(Filter(), WithAttachments(("files.rar", rar)));

        Assert.Equal("blocked(files.rar/setup.scr:name(.scr))-rejected", result.Outcome);
    }

    [Fact]
    public async Task A_rar_entry_that_is_an_executable_under_a_harmless_name_is_caught_by_type()
    {
        var rar = Rar(("invoice.pdf", Executable));

        var (result, _) = await RunAsync(Filter(), WithAttachments(("invoice.rar", rar)));

        Assert.Equal("blocked(invoice.rar/invoice.pdf:type(PeExecutable))-rejected", result.Outcome);
    }

    [Fact]
    public async Task A_rar_of_harmless_entries_passes()
    {
        var rar = Rar(("letter.txt", "dear"u8.ToArray()), ("notes.txt", "see you"u8.ToArray()));

        var (result, _) = await RunAsync(Filter(), WithAttachments(("letters.rar", rar)));

        Assert.Equal("clean(2parts,2entries)", result.Outcome);
    }

    [Theory]
    [InlineData(AttachmentAction.Reject)]
    [InlineData(AttachmentAction.Archive)]
    [InlineData(AttachmentAction.Deliver)]
    public async Task A_password_protected_zip_gets_its_configured_verdict(AttachmentAction action)
    {
        var locked = EncryptedZip("contract.docx", "not really a docx"u8.ToArray());

        var (result, context) = await RunAsync(Filter(new AttachmentOptions { OnEncryptedArchive = action }),
            WithAttachments(("contract.zip", locked)));

        Assert.StartsWith("encrypted(contract.zip:encrypted-archive)-", result.Outcome);
        switch (action)
        {
            case AttachmentAction.Reject:
                Assert.Contains("password-protected", Assert.IsType<RefuseDecision>(context.Decision).Text);
                break;
            case AttachmentAction.Archive:
                Assert.IsType<ArchiveDecision>(context.Decision);
                break;
            default:
                Assert.Null(context.Decision);
                Assert.Contains(context.AddedHeaders, h => h.StartsWith(AttachmentHeaders.Unscanned + ": contract.zip"));
                break;
        }

        Assert.Contains(_measurements, m => m.Instrument == "mailgateway.attachments.verdicts"
                                            && m.Tags == $"verdict=encrypted,action={action.ToString().ToLowerInvariant()}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_password_protected_7z_is_an_encrypted_archive_whether_or_not_its_names_are_encrypted(bool encryptHeaders)
    {
        var locked = EncryptedSevenZip("contract.txt", "terms"u8.ToArray(), encryptHeaders);

        var (result, context) = await RunAsync(Filter(), WithAttachments(("contract.7z", locked)));

        Assert.Equal("encrypted(contract.7z:encrypted-archive)-rejected", result.Outcome);
        Assert.IsType<RefuseDecision>(context.Decision);
    }

    [Fact]
    public async Task A_blocked_name_inside_a_password_protected_zip_is_still_blocked()
    {
        var locked = EncryptedZip("run.exe", Executable);

        var (result, _) = await RunAsync(Filter(), WithAttachments(("locked.zip", locked)));

        Assert.Equal("blocked(locked.zip/run.exe:name(.exe))-rejected", result.Outcome);
    }

    [Fact]
    public async Task A_truncated_zip_is_unscannable_and_archived_by_default()
    {
        var zip = Zip(("a.txt", Encoding.ASCII.GetBytes(new string('a', 5000))), ("b.txt", "bbbb"u8.ToArray()));

        var (result, context) = await RunAsync(Filter(), WithAttachments(("cut.zip", zip[..(zip.Length / 2)])));

        Assert.StartsWith("unscannable(cut.zip:unreadable-archive(", result.Outcome);
        Assert.EndsWith("-archived", result.Outcome);
        Assert.IsType<ArchiveDecision>(context.Decision);
    }

    [Fact]
    public async Task An_archive_bomb_is_unscannable_from_its_declared_size_without_being_expanded()
    {
        // 300 MB of zeros deflate to about 300 KB; nothing is decompressed beyond the first sniff.
        var bomb = Zip(("zeros.bin", new byte[300 * 1024 * 1024]));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();

        var (result, context) = await RunAsync(Filter(), WithAttachments(("bomb.zip", bomb)));

        Assert.Equal($"unscannable(bomb.zip:archive-expands>{256L * 1024 * 1024})-archived", result.Outcome);
        Assert.IsType<ArchiveDecision>(context.Decision);
        // What this test measures is printed, not asserted (no asserts on time); the bounds are the options.
        Console.WriteLine($"bomb ({bomb.Length} bytes zipped): {watch.ElapsedMilliseconds} ms, "
                          + $"{(GC.GetAllocatedBytesForCurrentThread() - before) / 1024} KiB allocated");
    }

    [Fact]
    public async Task An_archive_with_more_entries_than_allowed_is_unscannable()
    {
        var many = Zip(Enumerable.Range(0, 1500).Select(i => ($"f{i}.txt", new[] { (byte)'x' })).ToArray());

        var (result, _) = await RunAsync(Filter(new AttachmentOptions { OnUnscannable = AttachmentAction.Reject }),
            WithAttachments(("many.zip", many)));

        Assert.Equal("unscannable(many.zip:archive-entries>1000)-rejected", result.Outcome);
    }

    [Fact]
    public async Task A_nested_archive_is_not_opened_its_own_name_and_type_are_checked()
    {
        var inner = Zip(("evil.exe", Executable));
        var outer = Zip(("inner.zip", inner), ("note.txt", "hi"u8.ToArray()));

        var (result, context) = await RunAsync(Filter(), WithAttachments(("outer.zip", outer)));

        // One level down only: the .exe two levels down is left to clamd, which recurses.
        Assert.Null(context.Decision);
        Assert.Equal("clean(2parts,2entries)", result.Outcome);

        var blockedInner = Zip(("inner.iso", inner));
        Assert.Equal("blocked(outer.zip/inner.iso:name(.iso))-rejected",
            (await RunAsync(Filter(), WithAttachments(("outer.zip", blockedInner)))).Result.Outcome);
    }

    [Fact]
    public async Task An_archive_over_the_copy_limit_is_unscannable()
    {
        var zip = Zip(("a.bin", Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7919 % 251)).ToArray()));

        var (result, _) = await RunAsync(Filter(new AttachmentOptions { MaxArchiveBytes = 1000 }), WithAttachments(("big.zip", zip)));

        Assert.Equal("unscannable(big.zip:archive>1000bytes)-archived", result.Outcome);
    }

    [Fact]
    public async Task A_macro_enabled_office_file_is_blocked_when_configured()
    {
        var docm = Zip(("[Content_Types].xml", "<Types/>"u8.ToArray()), ("word/vbaProject.bin", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]));
        var options = new AttachmentOptions { BlockTypes = [FileKind.OfficeMacro] };

        var (result, _) = await RunAsync(Filter(options), WithAttachments(("budget.xlsx", docm)));

        Assert.Equal("blocked(budget.xlsx/word/vbaProject.bin:type(OfficeMacro))-rejected", result.Outcome);
    }

    [Fact]
    public async Task A_message_of_nine_thousand_parts_gets_a_verdict()
    {
        var multipart = new Multipart("mixed");
        for (var i = 0; i < 9000; i++)
        {
            multipart.Add(new MimePart("application", "octet-stream")
            {
                FileName = $"f{i}.dat",
                Content = new MimeContent(new MemoryStream("data"u8.ToArray())),
            });
        }

        multipart.Add(new MimePart("application", "octet-stream")
        {
            FileName = "last.scr",
            Content = new MimeContent(new MemoryStream("data"u8.ToArray())),
        });
        var message = new MimeMessage { Subject = "parts", Body = multipart };
        var watch = Stopwatch.StartNew();

        var (result, _) = await RunAsync(Filter(), message);

        Assert.Equal("blocked(last.scr:name(.scr))-rejected", result.Outcome);
        Console.WriteLine($"9001 parts: {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task An_attached_message_is_looked_into()
    {
        var inner = WithAttachments(("tool.exe", Executable));
        var outer = new MimeMessage { Subject = "fwd" };
        outer.Body = new Multipart("mixed") { new TextPart("plain") { Text = "fyi" }, new MessagePart { Message = inner } };

        var (result, _) = await RunAsync(Filter(), outer);

        Assert.Equal("blocked(tool.exe:name(.exe))-rejected", result.Outcome);
    }

    [Fact]
    public async Task Switched_off_it_looks_at_nothing()
    {
        var (result, context) = await RunAsync(Filter(new AttachmentOptions { Enabled = false }), WithAttachments(("setup.exe", Executable)));

        Assert.Equal("off", result.Outcome);
        Assert.Null(context.Decision);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}
