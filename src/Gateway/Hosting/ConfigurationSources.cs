using Microsoft.Extensions.Configuration;

namespace MailGateway.Gateway.Hosting;

/// <summary>
/// Where settings come from, later ones winning: the embedded defaults of the options classes, then
/// <c>config/appsettings.json</c>, then <c>MAILGW_</c> environment variables (<c>MAILGW_Smtp__Port=2626</c>), then the
/// command line (<c>--Smtp:Port 2626</c>).
/// </summary>
public static class ConfigurationSources
{
    /// <summary>
    /// The folder holding appsettings.json: <c>MAILGW_CONFIG_DIR</c>, else ./config when it has one, else the config/
    /// folder shipped beside the program.
    /// </summary>
    public static string ConfigDirectory()
    {
        var fromEnv = Environment.GetEnvironmentVariable("MAILGW_CONFIG_DIR");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return Path.GetFullPath(fromEnv);
        }

        var local = Path.GetFullPath("config");
        return File.Exists(Path.Combine(local, "appsettings.json"))
            ? local
            : Path.Combine(AppContext.BaseDirectory, "config");
    }

    /// <summary>The SCL thresholds file: <c>Scl:ThresholdsFile</c>, else thresholds.json in the config folder.</summary>
    public static string ThresholdsPath(IConfiguration configuration) =>
        configuration["Scl:ThresholdsFile"] is { Length: > 0 } path ? path : Path.Combine(ConfigDirectory(), "thresholds.json");

    public static void Apply(IConfigurationBuilder builder, string[] args)
    {
        builder.Sources.Clear();
        builder.AddJsonFile(Path.Combine(ConfigDirectory(), "appsettings.json"), optional: true, reloadOnChange: false);
        builder.AddEnvironmentVariables("MAILGW_");
        builder.AddCommandLine(args);
    }
}
