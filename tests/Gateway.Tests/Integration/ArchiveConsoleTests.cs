using System.Net;
using System.Text;
using MailGateway.Gateway.Tests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// The archive manager in Debian's Chromium: hostile HTML shown harmless (no script runs, nothing is fetched from
/// another host), a 1 MB subject, bulk actions, the trace in words, and an anti-forgery token in every form.
/// </summary>
public class ArchiveConsoleTests(ChromiumBrowser chromium, ConsoleGateway console)
    : IClassFixture<ChromiumBrowser>, IClassFixture<ConsoleGateway>
{
    private static string Unique(string local) => $"{local}-{Guid.NewGuid():N}"[..16] + "@example.org";

    /// <summary>
    /// Opens the archive list filtered by <paramref name="text"/> until it shows <paramref name="ids"/>: the list reads
    /// the archive index, which the gateway writes in batches after its 250, so a message just archived may lag.
    /// </summary>
    private async Task OpenListingAsync(IPage page, string text, IReadOnlyList<string> ids)
    {
        for (var i = 0; i < 100; i++)
        {
            await page.GotoAsync($"{console.Origin}/archive?q={text}");
            var shown = 0;
            foreach (var id in ids)
            {
                shown += await page.Locator($"input[type=checkbox][value=\"{id}\"]").CountAsync();
            }

            if (shown == ids.Count)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the archive list never showed {string.Join(", ", ids)}");
    }

    [Fact]
    public async Task Hostile_html_is_shown_as_text_and_placeholders_with_no_script_run_and_no_remote_request()
    {
        using var remote = new StaticHttpFile("anything", "text/plain");
        var r = $"http://127.0.0.1:{remote.Url.Port}";
        var marker = Guid.NewGuid().ToString("N");
        var html = $$"""
            <html><head><meta http-equiv="refresh" content="0;url={{r}}/refresh"><link rel=stylesheet href="{{r}}/sheet.css">
            <style>body{background:url({{r}}/style-bg.png)} @import url({{r}}/import.css);</style><base href="{{r}}/base/"></head>
            <body onload="alert('onload')"><script>alert('script'); fetch('{{r}}/script');</script>
            <p id=greeting style="background-image:url({{r}}/inline-css.png);color:#335">Hello <b>reader</b> {{marker}}</p>
            <img src="{{r}}/pixel.gif" alt="tracking pixel" onerror="alert('onerror')">
            <img src="cid:logo@test" alt="company logo">
            <a href="javascript:alert('js-url')" id=jslink>js link</a> <a href="{{r}}/landing" id=remotelink>remote link</a>
            <form action="{{r}}/form" method=post><input name=q value=x><button type=submit>go</button></form>
            <iframe src="{{r}}/iframe"></iframe><svg><image href="{{r}}/svg-image.png"/></svg>
            <video poster="{{r}}/poster.png" src="{{r}}/video.mp4"></video><object data="{{r}}/object"></object>
            <div style="width:expression(alert(1))" onmouseover="alert('hover')">free money</div>
            <table background="{{r}}/table-bg.png"><tr><td>cell</td></tr></table>
            </body></html>
            """;
        var builder = new BodyBuilder { HtmlBody = html };
        var logo = builder.LinkedResources.Add("logo.png", Convert.FromBase64String(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="));
        logo.ContentId = "logo@test";
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@sender.test"));
        message.To.Add(MailboxAddress.Parse(Unique("hostile")));
        message.Subject = "Hostile HTML " + marker;
        message.Body = builder.ToMessageBody();
        await console.SendAsync(message);
        var id = await console.ArchivedIdAsync(marker);

        await using var watched = await chromium.OpenAsync(console.Origin);
        var page = watched.Page;
        await page.GotoAsync($"{console.Origin}/archive/{id}");
        var frame = page.FrameLocator("iframe.message");
        // The sanitiser drops id attributes too: the frame's elements are found by their text.
        await Assertions.Expect(frame.Locator("p", new FrameLocatorLocatorOptions { HasText = marker })).ToContainTextAsync("Hello reader " + marker);
        await Assertions.Expect(frame.Locator("body")).ToContainTextAsync("[remote image, not loaded: tracking pixel]");
        await Assertions.Expect(frame.Locator("body")).ToContainTextAsync("[inline image: company logo]");
        Assert.Equal(0, await frame.Locator("body").Locator("script, style, form, input, button, iframe, object, embed, video, img, svg, meta, link, base").CountAsync());
        Assert.Equal(0, await frame.Locator("script, meta[http-equiv], link, base, [onload], [onerror], [onmouseover], [background]").CountAsync());
        var jsLink = frame.Locator("a", new FrameLocatorLocatorOptions { HasText = "js link" });
        var remoteLink = frame.Locator("a", new FrameLocatorLocatorOptions { HasText = "remote link" });
        Assert.Null(await jsLink.GetAttributeAsync("href"));
        Assert.Null(await remoteLink.GetAttributeAsync("href"));
        Assert.Equal($"{r}/landing", await remoteLink.GetAttributeAsync("title"));
        await jsLink.ClickAsync();
        await remoteLink.ClickAsync();
        await frame.Locator("div", new FrameLocatorLocatorOptions { HasText = "free money" }).HoverAsync();
        await ConsoleGateway.ScreenshotAsync(page, "archive-message");
        // The sanitised document on its own, as a browser would get it if someone opened it directly: still inert.
        await page.GotoAsync($"{console.Origin}/archive/{id}/body");
        await page.WaitForTimeoutAsync(500);

        Assert.Empty(watched.ForeignRequests);
        Assert.Equal(0, remote.Requests);
        Assert.Empty(watched.Dialogs);
        using var http = new HttpClient();
        var body = await http.GetAsync($"{console.Origin}/archive/{id}/body");
        var text = await body.Content.ReadAsStringAsync();
        Assert.Equal("default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'; form-action 'none'; base-uri 'none'; sandbox",
            body.Headers.GetValues("Content-Security-Policy").Single());
        foreach (var forbidden in new[] { "<script", "onload", "onerror", "onmouseover", "javascript:", "url(", "expression(", "http-equiv", "refresh", "<form", "<base" })
        {
            Assert.DoesNotContain(forbidden, text, StringComparison.OrdinalIgnoreCase);
        }

        // A link's target survives as its tooltip only; nothing else names the remote host.
        Assert.DoesNotContain(r, System.Text.RegularExpressions.Regex.Replace(text, "title=\"[^\"]*\"", ""));
    }

    [Fact]
    public async Task A_message_with_a_1_MB_subject_is_listed_and_shown_cut_short()
    {
        var marker = Guid.NewGuid().ToString("N");
        var subject = "free money " + marker + " " + string.Concat(Enumerable.Repeat("abcdefghij ", 100_000));
        await console.SendAsync(TestMail.Text(Unique("bigsubj"), subject, "free money, claim your prize " + marker));
        var id = await console.ArchivedIdAsync(marker);

        await using var watched = await chromium.OpenAsync(console.Origin);
        var page = watched.Page;
        await OpenListingAsync(page, marker, [id]);
        var row = page.Locator("tr", new PageLocatorOptions { HasText = marker });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        Assert.True((await row.InnerTextAsync()).Length < 5_000);
        var view = await page.GotoAsync($"{console.Origin}/archive/{id}");
        Assert.Equal(200, view!.Status);
        Assert.True((await page.Locator("h1").InnerTextAsync()).Length <= 301);
        Assert.True((await view.BodyAsync()).Length < 400_000);
        Assert.Empty(watched.ForeignRequests);
    }

    [Fact]
    public async Task Bulk_actions_mark_and_delete_the_selected_messages_and_the_trace_reads_in_words()
    {
        var marker = Guid.NewGuid().ToString("N")[..10];
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            await console.SendAsync(TestMail.Text(Unique("bulk"), $"bulk {marker} {i}", $"free money {marker}-{i}"));
            ids.Add(await console.ArchivedIdAsync($"{marker}-{i}"));
        }

        await using var watched = await chromium.OpenAsync(console.Origin);
        var page = watched.Page;
        await page.GotoAsync($"{console.Origin}/archive/{ids[0]}");
        await Assertions.Expect(page.Locator("dl.explain")).ToContainTextAsync("bad phrase \"free money\"");
        await OpenListingAsync(page, marker, ids);
        await ConsoleGateway.ScreenshotAsync(page, "archive-list");
        foreach (var id in ids)
        {
            await page.Locator($"input[type=checkbox][value=\"{id}\"]").CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Mark as spam", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("spam: 2 of 2 done");
        var spam = Path.Combine(console.Gateway.StorageRoot, "feedback", "spam");
        Assert.All(ids, id => Assert.True(File.Exists(Path.Combine(spam, id + ".eml"))));

        await OpenListingAsync(page, marker, ids);
        foreach (var id in ids)
        {
            await page.Locator($"input[type=checkbox][value=\"{id}\"]").CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Delete", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("delete: 2 of 2 done");
        Assert.DoesNotContain(console.Gateway.ArchivedMessages(), f => ids.Contains(Path.GetFileNameWithoutExtension(f)));
        await page.GotoAsync($"{console.Origin}/archive?q={marker}");
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(0);
        Assert.True(await console.Gateway.WaitForOutputAsync($"Admin delete of {ids[1]} by loopback from 127.0.0.1: deleted"));

        var to = Unique("bulkrel");
        await console.SendAsync(TestMail.Text(to, $"bulk {marker} release", $"free money {marker}-release"));
        var released = await console.ArchivedIdAsync($"{marker}-release");
        await OpenListingAsync(page, marker, [released]);
        await page.Locator($"input[type=checkbox][value=\"{released}\"]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Release", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("release: 1 of 1 done");
        Assert.StartsWith("X-MailGateway-Released: ", await File.ReadAllTextAsync(Assert.Single(console.Gateway.Messages(to))));
        Assert.True(File.Exists(Path.Combine(console.Gateway.StorageRoot, "feedback", "ham", released + ".eml")));
    }

    [Fact]
    public async Task Every_form_on_every_page_carries_an_anti_forgery_token_and_posts_without_it_are_refused()
    {
        var marker = Guid.NewGuid().ToString("N");
        await console.SendAsync(TestMail.Text(Unique("forms"), "forms " + marker, "free money " + marker));
        var id = await console.ArchivedIdAsync(marker);
        await using var watched = await chromium.OpenAsync(console.Origin);
        var page = watched.Page;
        var pages = new[] { "/", "/tracking", "/archive", $"/archive/{id}", "/thresholds?junk=3&archive=6" };
        var postForms = 0;
        foreach (var path in pages)
        {
            var response = await page.GotoAsync(console.Origin + path);
            Assert.True(response!.Status == 200, $"{path}: {response.Status}");
            foreach (var form in await page.Locator("form[method=post]").AllAsync())
            {
                postForms++;
                Assert.Equal(1, await form.Locator("input[type=hidden][name=__antiforgery]").CountAsync());
            }
        }

        Assert.True(postForms >= 6, $"{postForms} post forms"); // bulk, release, spam, ham, delete, apply thresholds
        using var pagesClient = new AdminPages(console.Gateway.AdminPort);
        foreach (var (path, fields) in new (string, Dictionary<string, string>)[]
                 {
                     ("/archive", new() { ["action"] = "delete", ["id"] = id }),
                     ($"/archive/{id}/delete", new()),
                     ("/thresholds", new() { ["junk"] = "3", ["archive"] = "6" }),
                 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
            request.Headers.Add("Origin", pagesClient.BaseUrl);
            Assert.Equal(HttpStatusCode.BadRequest, (await pagesClient.SendAsync(request)).StatusCode);
        }

        Assert.Contains(console.Gateway.ArchivedMessages(), f => Path.GetFileNameWithoutExtension(f) == id);
        Assert.Contains("\"JunkThreshold\": 4", await File.ReadAllTextAsync(console.ThresholdsPath));
    }
}
