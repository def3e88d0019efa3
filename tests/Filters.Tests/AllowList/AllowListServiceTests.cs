using System.Net;
using MailGateway.Filters.AllowList;
using MailGateway.Filters.ConfigFiles;
using MailGateway.Filters.Tests.ConfigFiles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Tests.AllowList;

public sealed class AllowListServiceTests : IDisposable
{
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.7");

    private readonly TempDirectory _directory = new();
    private readonly ListLogger<AllowListService> _logger = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Changed_file_is_reloaded_and_logged_old_to_new()
    {
        var path = _directory.File("allowlist.json");
        File.WriteAllText(path, """{ "allow": { "domains": ["partner.example"] } }""");
        using var service = Create(path);
        Assert.Equal(AllowListVerdict.None, service.Evaluate("a@b.example", null, Client).Verdict);

        File.WriteAllText(path, """{ "allow": { "domains": ["partner.example"] }, "block": { "ips": ["203.0.113.0/24"], "senders": ["x@y.example"] } }""");

        // The new lists are in place a moment before the reload is logged: wait for both.
        Assert.True(await Eventually.TrueAsync(() => service.Evaluate("a@b.example", null, Client).Verdict == AllowListVerdict.Blocked
                                                     && _logger.Entries.Any(e => e.EventId == 5202)));
        var reloaded = Assert.Single(_logger.Entries, e => e.EventId == 5202);
        Assert.Equal(1, reloaded.Properties["OldAllowCount"]);
        Assert.Equal(1, reloaded.Properties["AllowCount"]);
        Assert.Equal(0, reloaded.Properties["OldBlockCount"]);
        Assert.Equal(2, reloaded.Properties["BlockCount"]);
    }

    [Fact]
    public async Task Invalid_new_file_keeps_the_last_good_lists_and_logs_an_error()
    {
        var path = _directory.File("allowlist.json");
        File.WriteAllText(path, """{ "block": { "ips": ["203.0.113.0/24"] } }""");
        using var service = Create(path);

        // Replaced in one step: an in-place write is truncate then write, and a loaded machine that stalls between
        // the two for longer than the reload delay would log a second, different error (the empty file) first.
        var temporary = _directory.File("allowlist.json.tmp");
        File.WriteAllText(temporary, """{ "block": { "ips": ["203.0.113.1/24"] } }""");
        File.Move(temporary, path, overwrite: true);

        Assert.True(await Eventually.TrueAsync(() => _logger.Entries.Any(e => e.EventId == 5203)));
        Assert.Equal(AllowListVerdict.Blocked, service.Evaluate(null, null, Client).Verdict);
        var error = Assert.Single(_logger.Entries, e => e.EventId == 5203);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Equal("block.ips[0]: \"203.0.113.1/24\" has bits set after the prefix; the network is 203.0.113.0/24.", error.Properties["Reason"]);
        Assert.Equal(1, error.Properties["BlockCount"]);
    }

    [Fact]
    public void Invalid_file_at_start_throws_naming_the_file_and_entry()
    {
        var path = _directory.File("allowlist.json");
        File.WriteAllText(path, """{ "allow": { "senders": ["nobody"] } }""");

        var error = Assert.Throws<ConfigFileException>(() => Create(path));

        Assert.Equal($"{path}: allow.senders[0]: \"nobody\" is not an address (local@domain) or <> (the null sender).", error.Message);
    }

    [Fact]
    public void Disabled_lists_decide_nothing()
    {
        var path = _directory.File("allowlist.json");
        File.WriteAllText(path, """{ "block": { "ips": ["203.0.113.0/24"] } }""");
        using var service = new AllowListService(
            new StaticOptionsMonitor<AllowListOptions>(new AllowListOptions { Path = path, Enabled = false }), _directory.Path, _logger, TimeProvider.System);

        Assert.Same(AllowListDecision.None, service.Evaluate(null, null, Client));
        Assert.Equal(AllowListVerdict.Blocked, service.Current.Evaluate(null, null, Client).Verdict);
    }

    [Fact]
    public void Add_allow_list_binds_the_section_and_resolves_against_the_base_directory()
    {
        File.WriteAllText(_directory.File("allowlist.json"), """{ "allow": { "ips": ["192.0.2.0/24"] } }""");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([]).Build();
        using var services = new ServiceCollection().AddLogging().AddAllowList(configuration, _directory.Path).BuildServiceProvider();

        var service = services.GetRequiredService<AllowListService>();

        Assert.Equal(_directory.File("allowlist.json"), service.Path);
        Assert.Equal(AllowListVerdict.Allowed, service.Evaluate(null, null, IPAddress.Parse("::ffff:192.0.2.9")).Verdict);
    }

    [Theory]
    [InlineData("AllowList:Path", " ", "AllowList:Path must be set.")]
    [InlineData("AllowList:ReloadDelayMilliseconds", "60001", "AllowList:ReloadDelayMilliseconds must be between 0 and 60000 (is 60001).")]
    public void Invalid_option_fails_with_one_message_naming_the_key(string key, string value, string message)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        using var services = new ServiceCollection().AddLogging().AddAllowList(configuration, _directory.Path).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AllowListOptions>>().Value);

        Assert.Equal(message, Assert.Single(error.Failures));
    }

    private AllowListService Create(string path) =>
        new(new StaticOptionsMonitor<AllowListOptions>(new AllowListOptions { Path = path, ReloadDelayMilliseconds = 100 }),
            _directory.Path, _logger, TimeProvider.System);
}
