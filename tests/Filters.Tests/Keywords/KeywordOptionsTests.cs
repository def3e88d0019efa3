using MailGateway.Filters.Keywords;
using MailGateway.Filters.Tests.ConfigFiles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Tests.Keywords;

public sealed class KeywordOptionsTests
{
    [Fact]
    public void Defaults_are_enabled_and_config_keywords_json()
    {
        var options = new KeywordOptions();

        Assert.True(options.Enabled);
        Assert.Equal("keywords.json", options.Path);
        Assert.Equal(500, options.ReloadDelayMilliseconds);
        Assert.False(options.UsePollingFileWatcher);
    }

    [Theory]
    [InlineData("Keywords:Path", "", "Keywords:Path must be set.")]
    [InlineData("Keywords:Path", "a\0b", "Keywords:Path contains a character not allowed in a path.")]
    [InlineData("Keywords:ReloadDelayMilliseconds", "-1", "Keywords:ReloadDelayMilliseconds must be between 0 and 60000 (is -1).")]
    public void Invalid_value_fails_with_one_message_naming_the_key(string key, string value, string message)
    {
        using var services = Services(new() { [key] = value }, Path.GetTempPath());

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<KeywordOptions>>().Value);

        Assert.Equal(message, Assert.Single(error.Failures));
    }

    [Fact]
    public void Add_keyword_list_resolves_the_path_against_the_base_directory()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("words.json"), """{ "bad": ["free money"] }""");
        using var services = Services(new() { ["Keywords:Path"] = "words.json", ["Keywords:Enabled"] = "false" }, directory.Path);

        var list = services.GetRequiredService<KeywordList>();

        Assert.Equal(directory.File("words.json"), list.Path);
        Assert.False(list.IsEnabled);
        Assert.Equal(1, list.Current.BadCount);
    }

    private static ServiceProvider Services(Dictionary<string, string?> values, string baseDirectory)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection().AddLogging().AddKeywordList(configuration, baseDirectory).BuildServiceProvider();
    }
}
