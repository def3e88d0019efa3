using MailGateway.Filters.Spf;
using MailGateway.Gateway.Hosting;
using MailGateway.Gateway.Smtp;
using MailGateway.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MailGateway.Gateway.Tests.Smtp;

/// <summary>
/// SPF is started when DATA begins (IEarlyLookup) only when the Spf filter is in Filters:Order: with it left out, an
/// evaluation started per message would never be taken (DNS queries and CPU for nothing, held for two minutes). Nor for
/// mail from the relay networks, for which the chain does not run it.
/// </summary>
public class EarlyLookupTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("Spf,Dkim,Dmarc,Model", true)]
    [InlineData("Dkim,Dmarc,Model", false)]
    [InlineData("None", false)]
    public async Task Spf_starts_at_data_only_when_its_filter_runs(string? order, bool started)
    {
        InProcessGateway.UseOnlyTheTestConfiguration();
        var root = Path.Combine(Path.GetTempPath(), "mailgw-early-" + Guid.NewGuid().ToString("N")[..12]);
        string[] args =
        [
            $"--Smtp:Port={FreePort.Next()}", $"--Admin:Url=http://127.0.0.1:{FreePort.Next()}", $"--Storage:Root={root}",
            "--Antivirus:Enabled=false", $"--Dns:Servers:0={DnsServer.Empty.Endpoint}",
            .. (order?.Split(',') ?? []).Select((name, i) => $"--Filters:Order:{i}={name}"),
        ];
        await using var app = GatewayHost.Build(args);
        try
        {
            var lookups = app.Services.GetRequiredService<SmtpSessionServices>().EarlyLookups;

            Assert.Equal(started, lookups.Any(l => l is SpfChecksInFlight));
            Assert.All(lookups, l => Assert.Equal(SpfFilter.FilterName, l.FilterName));

            // Mail from the relay networks: the chain skips the sender checks, so SPF is not started for it either.
            var services = app.Services.GetRequiredService<SmtpSessionServices>();
            Assert.Equal(lookups, services.EarlyLookupsFor(fromInternalClient: false));
            Assert.Empty(services.EarlyLookupsFor(fromInternalClient: true));
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
