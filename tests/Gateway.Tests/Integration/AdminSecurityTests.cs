using System.Net;
using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// The admin port against a hostile page or configuration: what it binds, which Host it answers, who may frame it,
/// which state-changing requests it takes, and that a release happens once and is logged. Real gateway processes,
/// real SMTP, and Debian's Chromium through Playwright where a browser's behaviour is the point.
/// </summary>
public class AdminSecurityTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private static string Unique(string local) => $"{local}-{Guid.NewGuid():N}"[..16] + "@example.org";

    /// <summary>Sends one message the shipped keywords archive; returns its archive id.</summary>
    private static async Task<string> ArchiveOneAsync(GatewayProcess gateway, string to, string subject)
    {
        var (code, _) = await TestMail.SendAsync(gateway.SmtpPort, TestMail.Text(to, subject, "free money"));
        Assert.Equal(250, code);
        var archived = gateway.ArchivedMessages().Single(f => File.ReadAllText(f).Contains(subject));
        return Path.GetFileNameWithoutExtension(archived);
    }

    private static Dictionary<string, string> Isolated(string adminUrl) => new()
    {
        ["Admin:Url"] = adminUrl,
        ["Storage:Root"] = Path.Combine(Path.GetTempPath(), "mailgw-admin-" + Guid.NewGuid().ToString("N")[..8]),
        ["Antivirus:Enabled"] = "false",
        ["Smtp:Port"] = FreePort.Next().ToString(),
    };

    [Fact]
    public async Task An_admin_url_list_with_one_address_off_loopback_needs_a_token()
    {
        var (code, output) = await GatewayProcess.RunToExitAsync(
            Isolated($"http://127.0.0.1:{FreePort.Next()}/;http://0.0.0.0:{FreePort.Next()}"));

        Assert.True(code == 1, $"exit code {code}:\n{output}");
        Assert.Contains("mailgw: configuration error: Admin:Token: required", output);
    }

    [Fact]
    public async Task A_kestrel_endpoint_off_loopback_from_the_environment_stops_the_start_without_a_token()
    {
        var (code, output) = await GatewayProcess.RunToExitAsync(Isolated($"http://127.0.0.1:{FreePort.Next()}"),
            new Dictionary<string, string> { ["MAILGW_Kestrel__Endpoints__ext__Url"] = $"http://0.0.0.0:{FreePort.Next()}" });

        Assert.True(code == 1, $"exit code {code}:\n{output}");
        Assert.Contains("mailgw: configuration error: Admin:Token: required when the admin port listens off loopback", output);
    }

    [Fact]
    public async Task A_host_name_not_ours_is_refused_so_a_rebound_dns_name_cannot_release()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["Admin:AllowedHosts:0"] = "gw-admin.test" });
        var to = Unique("rebind");
        var id = await ArchiveOneAsync(gateway, to, "rebinding");
        using var pages = new AdminPages(gateway.AdminPort);
        var attacker = $"attacker.example:{gateway.AdminPort}";

        using var get = new HttpRequestMessage(HttpMethod.Get, "/archive") { Headers = { Host = attacker } };
        using var post = new HttpRequestMessage(HttpMethod.Post, $"/archive/{id}/release")
        {
            Headers = { Host = attacker },
            Content = new FormUrlEncodedContent([]),
        };
        post.Headers.Add("Origin", $"http://{attacker}");
        using var localhost = new HttpRequestMessage(HttpMethod.Get, "/archive") { Headers = { Host = $"localhost:{gateway.AdminPort}" } };
        using var configured = new HttpRequestMessage(HttpMethod.Get, "/archive") { Headers = { Host = $"GW-admin.test:{gateway.AdminPort}" } };

        Assert.Equal(HttpStatusCode.BadRequest, (await pages.SendAsync(post)).StatusCode);
        Assert.Empty(gateway.Messages(to));
        Assert.Equal(HttpStatusCode.BadRequest, (await pages.SendAsync(get)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pages.SendAsync(localhost)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pages.SendAsync(configured)).StatusCode);
    }

    [Fact]
    public async Task Another_site_cannot_frame_a_message_page()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        var id = await ArchiveOneAsync(gateway, Unique("frame"), "Framed secret subject");
        using var pages = new AdminPages(gateway.AdminPort);
        using var site = new StaticHttpFile("evil.html", "text/html");
        site.Content = Encoding.UTF8.GetBytes(
            $"<!doctype html><html><body><iframe id=f src=\"{pages.BaseUrl}/archive/{id}\"></iframe></body></html>");
        var page = await chromium.Browser.NewPageAsync();
        var framedResponses = 0;
        page.Response += (_, r) => { if (r.Url == $"{pages.BaseUrl}/archive/{id}") { Interlocked.Increment(ref framedResponses); } };

        await page.GotoAsync(site.Url.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        // The frame was requested and answered: what keeps the page out is the browser honouring our headers.
        Assert.Equal(1, framedResponses);
        var child = Assert.Single(page.Frames, f => f != page.MainFrame);
        string content;
        try
        {
            content = await child.ContentAsync();
        }
        catch (PlaywrightException e)
        {
            content = e.Message;
        }

        Assert.DoesNotContain("Framed secret subject", content);
        var direct = await pages.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/archive/{id}"));
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Equal("DENY", direct.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", direct.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task A_state_changing_request_without_origin_or_referer_or_without_the_form_token_is_refused()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        var to = Unique("csrf");
        var id = await ArchiveOneAsync(gateway, to, "forged release");
        using var pages = new AdminPages(gateway.AdminPort);

        var noOrigin = await pages.PostAsync(id, id, "release", origin: null);
        var noToken = await pages.PostAsync(id, id, "release", withFormToken: false);
        var spamNoToken = await pages.PostAsync(id, id, "spam", withFormToken: false);

        Assert.Equal(HttpStatusCode.Forbidden, noOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, spamNoToken.StatusCode);
        Assert.Empty(gateway.Messages(to));
        Assert.False(Directory.Exists(Path.Combine(gateway.StorageRoot, "feedback", "spam")));
        // Our own page's form, with its token and Origin, goes through.
        Assert.Equal(HttpStatusCode.Redirect, (await pages.PostAsync(id, id, "release")).StatusCode);
        Assert.Single(gateway.Messages(to));
    }

    [Fact]
    public async Task With_a_bearer_token_a_form_post_needs_no_origin_and_the_log_names_the_token_as_actor()
    {
        const string token = "0123456789abcdef-admin-security";
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["Admin:Token"] = token });
        var to = Unique("bearer");
        var id = await ArchiveOneAsync(gateway, to, "bearer release");
        using var pages = new AdminPages(gateway.AdminPort, token);

        var noToken = await pages.PostAsync(id, id, "release", origin: null, withFormToken: false);
        var released = await pages.PostAsync(id, id, "release", origin: null);

        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, released.StatusCode);
        Assert.Single(gateway.Messages(to));
        Assert.True(await gateway.WaitForOutputAsync($"Admin release of {id} by token from 127.0.0.1: released"), gateway.Output);
    }

    [Fact]
    public async Task With_a_bearer_token_every_console_page_needs_it()
    {
        const string token = "0123456789abcdef-console";
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["Admin:Token"] = token });
        var id = await ArchiveOneAsync(gateway, Unique("console"), "console token");
        using var anonymous = new AdminPages(gateway.AdminPort);
        using var bearer = new AdminPages(gateway.AdminPort, token);

        foreach (var path in new[] { "/", "/tracking", "/archive", $"/archive/{id}", $"/archive/{id}/body", "/thresholds" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, path))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await bearer.SendAsync(new HttpRequestMessage(HttpMethod.Get, path))).StatusCode);
        }
    }

    [Fact]
    public async Task Releasing_from_two_open_pages_delivers_one_copy_and_every_action_is_logged()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        var to = Unique("twice");
        var id = await ArchiveOneAsync(gateway, to, "release me twice");
        var first = await chromium.Browser.NewPageAsync();
        var second = await chromium.Browser.NewPageAsync();
        var url = $"http://127.0.0.1:{gateway.AdminPort}/archive/{id}";
        await first.GotoAsync(url);
        await second.GotoAsync(url);
        var release = new PageGetByRoleOptions { Name = "Release to inbox" };

        await first.GetByRole(AriaRole.Button, release).ClickAsync();
        await Assertions.Expect(first.Locator(".notice")).ToContainTextAsync("released");
        await second.GetByRole(AriaRole.Button, release).ClickAsync();
        await Assertions.Expect(second.Locator(".notice")).ToContainTextAsync("released");
        await second.GotoAsync(url);
        await second.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Mark as spam" }).ClickAsync();
        await Assertions.Expect(second.Locator(".notice")).ToContainTextAsync("kept");

        Assert.Single(gateway.Messages(to));
        Assert.True(await gateway.WaitForOutputAsync($"Admin spam of {id} by loopback from 127.0.0.1: kept as spam"),
            gateway.Output);
        Assert.Contains($"Admin release of {id} by loopback from 127.0.0.1: released", gateway.Output);
        Assert.Contains($"Admin release of {id} by loopback from 127.0.0.1: message {id} was already released", gateway.Output);
    }

    [Fact]
    public async Task Archive_ids_are_hex_ids_not_search_patterns_and_unfinished_files_are_not_found()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        var to = Unique("ids");
        var id = await ArchiveOneAsync(gateway, to, "pattern target");
        var unfinished = Guid.CreateVersion7().ToString("N");
        var tmp = Path.Combine(gateway.StorageRoot, "archive", ".tmp");
        Directory.CreateDirectory(tmp);
        File.Copy(Assert.Single(gateway.ArchivedMessages()), Path.Combine(tmp, unfinished + ".eml"));
        using var pages = new AdminPages(gateway.AdminPort);

        var star = await pages.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/archive/*"));
        var question = await pages.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/archive/" + id[..31] + "%3F"));
        var inTmp = await pages.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/archive/{unfinished}"));
        var releaseStar = await pages.PostAsync(id, "*", "release");

        Assert.Equal(HttpStatusCode.NotFound, star.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, question.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, inTmp.StatusCode);
        Assert.Empty(gateway.Messages(to));
        Assert.Contains("is%20not%20an%20archive%20id", releaseStar.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK,
            (await pages.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/archive/{id}"))).StatusCode);
    }
}
