using MailGateway.Filters.ConfigFiles;
using MailGateway.Filters.Keywords;
using MailGateway.Filters.Tests.ConfigFiles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Tests.Keywords;

public sealed class KeywordListTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ListLogger<KeywordList> _logger = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Relative_path_is_loaded_from_the_base_directory()
    {
        File.WriteAllText(_directory.File("keywords.json"), """{ "good": ["project phoenix"], "bad": ["free money", "viagra"] }""");

        using var list = Create(new KeywordOptions());

        Assert.Equal(_directory.File("keywords.json"), list.Path);
        Assert.Equal(1, list.Current.GoodCount);
        Assert.Equal(2, list.Current.BadCount);
        var loaded = Assert.Single(_logger.Entries, e => e.EventId == 5101);
        Assert.Equal(1, loaded.Properties["GoodCount"]);
        Assert.Equal(2, loaded.Properties["BadCount"]);
    }

    [Fact]
    public async Task Changed_file_is_reloaded_and_logged_old_to_new()
    {
        var path = _directory.File("keywords.json");
        File.WriteAllText(path, """{ "bad": ["free money"] }""");
        using var list = Create(Options(path));
        Assert.Null(list.Current.Evaluate("cheap meds"));

        File.WriteAllText(path, """{ "good": ["project phoenix"], "bad": ["free money", "cheap meds"] }""");

        // The new list is in place a moment before the reload is logged: wait for both.
        Assert.True(await Eventually.TrueAsync(() => list.Current.Evaluate("cheap meds") is not null
                                                     && _logger.Entries.Any(e => e.EventId == 5102)));
        Assert.Equal(KeywordKind.Good, list.Current.Evaluate("project phoenix")?.Kind);
        var reloaded = Assert.Single(_logger.Entries, e => e.EventId == 5102);
        Assert.Equal(LogLevel.Information, reloaded.Level);
        Assert.Equal(0, reloaded.Properties["OldGoodCount"]);
        Assert.Equal(1, reloaded.Properties["GoodCount"]);
        Assert.Equal(1, reloaded.Properties["OldBadCount"]);
        Assert.Equal(2, reloaded.Properties["BadCount"]);
        Assert.Equal(path, reloaded.Properties["Path"]);
    }

    [Fact]
    public async Task File_replaced_by_rename_is_reloaded()
    {
        var path = _directory.File("keywords.json");
        File.WriteAllText(path, """{ "bad": ["free money"] }""");
        using var list = Create(Options(path));

        // What vim and most deploy tools do: write a temporary file, then rename it over the old one.
        var temporary = _directory.File("keywords.json.tmp");
        File.WriteAllText(temporary, """{ "bad": ["cheap meds"] }""");
        File.Move(temporary, path, overwrite: true);

        Assert.True(await Eventually.TrueAsync(() => list.Current.Evaluate("cheap meds") is not null));
        Assert.Null(list.Current.Evaluate("free money"));
    }

    [Fact]
    public async Task Invalid_new_file_keeps_the_last_good_list_and_logs_an_error()
    {
        var path = _directory.File("keywords.json");
        File.WriteAllText(path, """{ "bad": ["free money"] }""");
        using var list = Create(Options(path));
        var before = list.Current;

        // Replaced in one step: an in-place write is truncate then write, and a loaded machine that stalls between
        // the two for longer than the reload delay would log a second, different error (the empty file) first.
        var temporary = _directory.File("keywords.json.tmp");
        File.WriteAllText(temporary, """{ "bad": ["free money", "cheap meds" """);
        File.Move(temporary, path, overwrite: true);

        Assert.True(await Eventually.TrueAsync(() => _logger.Entries.Any(e => e.EventId == 5103)));
        Assert.Same(before, list.Current);
        Assert.NotNull(list.Current.Evaluate("free money"));
        var error = Assert.Single(_logger.Entries, e => e.EventId == 5103);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Equal(1, error.Properties["BadCount"]);
        Assert.StartsWith("invalid JSON at line 1", (string)error.Properties["Reason"]!);

        // Fixing the file is picked up again.
        File.WriteAllText(path, """{ "bad": ["free money", "cheap meds"] }""");
        Assert.True(await Eventually.TrueAsync(() => list.Current.BadCount == 2));
    }

    [Fact]
    public async Task Deleted_file_keeps_the_last_good_list_and_logs_a_warning()
    {
        var path = _directory.File("keywords.json");
        File.WriteAllText(path, """{ "bad": ["free money"] }""");
        using var list = Create(Options(path));

        File.Delete(path);

        Assert.True(await Eventually.TrueAsync(() => _logger.Entries.Any(e => e.EventId == 5104)));
        Assert.Equal(1, list.Current.BadCount);
    }

    [Fact]
    public async Task Missing_file_at_start_gives_an_empty_list_that_loads_when_the_file_appears()
    {
        var path = _directory.File("keywords.json");

        using var list = Create(Options(path));

        Assert.Equal(0, list.Current.BadCount);
        Assert.Contains(_logger.Entries, e => e.EventId == 5104 && e.Level == LogLevel.Warning);

        File.WriteAllText(path, """{ "bad": ["free money"] }""");
        Assert.True(await Eventually.TrueAsync(() => list.Current.BadCount == 1));
    }

    [Fact]
    public void Invalid_file_at_start_throws_naming_the_file()
    {
        var path = _directory.File("keywords.json");
        File.WriteAllText(path, """{ "bad": [""] }""");

        var error = Assert.Throws<ConfigFileException>(() => Create(Options(path)));

        Assert.Equal(path, error.Path);
        Assert.Equal($"{path}: bad[0] is empty.", error.Message);
    }

    [Fact]
    public void Missing_directory_at_start_throws()
    {
        var error = Assert.Throws<ConfigFileException>(() => Create(Options(_directory.File("nowhere/keywords.json"))));

        Assert.Contains("does not exist", error.Reason);
    }

    [Fact]
    public async Task Polling_watcher_also_reloads()
    {
        var path = _directory.File("keywords.json");
        File.WriteAllText(path, """{ "bad": ["free money"] }""");
        var options = Options(path);
        options.UsePollingFileWatcher = true;
        using var list = Create(options);

        await Task.Delay(1100); // the polling watcher compares modification times, which have 1 s steps on some systems
        File.WriteAllText(path, """{ "bad": ["free money", "cheap meds"] }""");

        Assert.True(await Eventually.TrueAsync(() => list.Current.BadCount == 2, TimeSpan.FromSeconds(15)));
    }

    private static KeywordOptions Options(string path) => new() { Path = path, ReloadDelayMilliseconds = 100 };

    private KeywordList Create(KeywordOptions options) =>
        new(new StaticOptionsMonitor<KeywordOptions>(options), _directory.Path, _logger, TimeProvider.System);
}
