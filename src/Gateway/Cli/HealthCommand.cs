namespace MailGateway.Gateway.Cli;

/// <summary>
/// <c>mailgw health [--url URL]</c>: asks a running gateway's /healthz (or /readyz) and exits 0 when it answers 200.
/// The container HEALTHCHECK uses it, as the runtime image has no curl.
/// </summary>
public sealed class HealthCommand : ICliCommand
{
    public string Name => "health";

    public string Usage => "health [--url http://127.0.0.1:8025/healthz]   exit 0 when the gateway answers";

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var url = arguments.Get("url") ?? "http://127.0.0.1:8025/healthz";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            Console.WriteLine($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"{url}: {ex.Message}");
            return 1;
        }
    }
}
