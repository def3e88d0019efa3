using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>The dashboard's viruses: this gateway's count since start and the store's virus-archive count agree.</summary>
public class DashboardVirusTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_virus_found_by_a_real_clamd_shows_on_the_dashboard()
    {
        var clamd = new ClamdProcess();
        await clamd.InitializeAsync();
        try
        {
            var settings = clamd.Settings;
            settings["Antivirus:OnInfected"] = "Archive";
            await using var gateway = await GatewayProcess.StartAsync(settings);
            Assert.Equal(250, (await TestMail.SendAsync(gateway.SmtpPort,
                TestMail.WithAttachment("virus@example.org", "invoice", "eicar.com", TestMail.Eicar))).Code);

            var page = "";
            for (var i = 0; i < 100 && !page.Contains("<b class=viruses-window>1</b>", StringComparison.Ordinal); i++)
            {
                await Task.Delay(200);
                page = await Http.GetStringAsync($"http://127.0.0.1:{gateway.AdminPort}/");
            }

            Assert.Contains("<td class=viruses>1</td>", page);
            Assert.Contains("<b class=viruses-window>1</b>", page);
        }
        finally
        {
            await clamd.DisposeAsync();
        }
    }
}
