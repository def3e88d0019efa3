using System.IO.Compression;
using MailGateway.Filters.Model;
using MailGateway.Filters.Tests.ConfigFiles;
using MailGateway.Scl.Model.Scoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Tests.Model;

/// <summary>
/// The model file is re-read through the gateway's one file watcher: a new model at the path is swapped in and logged
/// old → new; a file that does not load is refused and the running model kept.
/// </summary>
public sealed class SclScorerHostTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ListLogger _logger = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_new_model_file_at_the_path_is_swapped_in_and_logged_old_to_new()
    {
        var path = StartModel();
        using var host = Create(path);
        var first = host.Scorer!.Model.Id;

        // The same learners saved again: a new file (its entries' time stamps differ), so a new model id.
        var replacement = _directory.File("replacement.zip");
        SclModel.Load(SclModel.DefaultPath).Save(replacement);
        var replacementModel = SclModel.Load(replacement);
        var replacementId = replacementModel.Id;
        Assert.NotEqual(first, replacementId);
        File.Move(replacement, path, overwrite: true);

        Assert.True(await Eventually.TrueAsync(() => host.Scorer!.Model.Id == replacementId && Swaps().Any(), TimeSpan.FromSeconds(30)));
        var swapped = Assert.Single(Swaps());
        Assert.Equal($"SCL model swapped {first} -> {replacementId} ({replacementModel.Info.Learner})", swapped.Message);
        Assert.Equal(first, swapped.Properties["OldModel"]);
        Assert.Equal(replacementId, swapped.Properties["NewModel"]);
    }

    [Fact]
    public async Task A_model_file_of_an_older_format_is_refused_and_the_running_model_kept()
    {
        var path = StartModel();
        using var host = Create(path);
        var first = host.Scorer!.Model.Id;

        var older = _directory.File("older.zip");
        using (var zip = new ZipArchive(File.Create(older), ZipArchiveMode.Create))
        using (var w = new StreamWriter(zip.CreateEntry("scl.json").Open()))
        {
            w.Write($$"""{ "FormatVersion": {{SclModelInfo.CurrentFormatVersion - 1}}, "Learner": "Linear" }""");
        }

        // Written beside it and renamed over it, as a deployment would, so the watcher never reads it half-written.
        File.Move(older, path, overwrite: true);

        var refused = await RefusalAsync();
        Assert.Equal(LogLevel.Warning, refused.Level);
        Assert.Equal(first, refused.Properties["Model"]);
        Assert.Contains($"model format {SclModelInfo.CurrentFormatVersion - 1}, this build reads {SclModelInfo.CurrentFormatVersion}",
            (string)refused.Properties["Reason"]!);
        Assert.Equal(first, host.Scorer.Model.Id);
        Assert.Empty(Swaps());
    }

    [Fact]
    public async Task A_file_that_is_not_a_model_is_refused_and_the_next_good_one_is_swapped_in()
    {
        var path = StartModel();
        using var host = Create(path);
        var first = host.Scorer!.Model.Id;

        var junk = _directory.File("junk.zip");
        File.WriteAllText(junk, "not a model");
        File.Move(junk, path, overwrite: true);
        await RefusalAsync();
        Assert.Equal(first, host.Scorer.Model.Id);

        var replacement = _directory.File("replacement.zip");
        SclModel.Load(SclModel.DefaultPath).Save(replacement);
        var replacementId = SclModel.Load(replacement).Id;
        File.Move(replacement, path, overwrite: true);
        Assert.True(await Eventually.TrueAsync(() => host.Scorer.Model.Id == replacementId, TimeSpan.FromSeconds(30)));
        Assert.Equal(first, Assert.Single(Swaps()).Properties["OldModel"]);
    }

    [Fact]
    public void A_model_path_with_no_file_is_a_configuration_error()
    {
        var ex = Assert.Throws<MailGateway.Filters.ConfigFiles.ConfigFileException>(() => Create(_directory.File("missing.zip")));
        Assert.Contains("no model file there", ex.Message);
    }

    private string StartModel()
    {
        var path = _directory.File("scl-model.zip");
        File.Copy(SclModel.DefaultPath, path);
        return path;
    }

    private SclScorerHost Create(string path) =>
        new(Options.Create(new ModelOptions { ModelPath = path, ReloadDelayMilliseconds = 50 }), new ListLoggerFactory(_logger));

    private IEnumerable<LogEntry> Swaps() => _logger.Entries.Where(e => e.EventId == 4001);

    private async Task<LogEntry> RefusalAsync()
    {
        Assert.True(await Eventually.TrueAsync(() => _logger.Entries.Any(e => e.EventId == 4003), TimeSpan.FromSeconds(30)));
        return _logger.Entries.First(e => e.EventId == 4003);
    }

    /// <summary>Every category logs to the one list, so the host's and the scorer's events are seen together.</summary>
    private sealed class ListLoggerFactory(ListLogger logger) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
