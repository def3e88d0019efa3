using System.Net;
using System.Text.RegularExpressions;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>
/// The archive pages over plain HTTP, used as a browser uses them: the message page hands out the anti-forgery form
/// field and cookie, and a form POST carries both (the field only when the page had one) and, unless told otherwise,
/// our own Origin. Redirects are not followed, so a test sees the 302 of an action that went through.
/// </summary>
public sealed partial class AdminPages : IDisposable
{
    private readonly HttpClient _http;

    public AdminPages(int port, string? token = null)
    {
        BaseUrl = $"http://127.0.0.1:{port}";
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(BaseUrl),
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
    }

    public string BaseUrl { get; }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _http.SendAsync(request);

    /// <summary>Loads /archive/<paramref name="pageId"/> (for its form token), then posts /archive/<paramref name="id"/>/<paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> PostAsync(string pageId, string id, string action, string? origin = "",
        bool withFormToken = true)
    {
        var page = await _http.GetStringAsync($"/archive/{pageId}");
        var field = FormToken().Match(page);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/archive/{id}/{action}");
        request.Content = new FormUrlEncodedContent(withFormToken && field.Success
            ? [new KeyValuePair<string, string>(WebUtility.HtmlDecode(field.Groups[1].Value), WebUtility.HtmlDecode(field.Groups[2].Value))]
            : []);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin.Length == 0 ? BaseUrl : origin);
        }

        return await _http.SendAsync(request);
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<input type=hidden name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex FormToken();
}
