using System.Net;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>
/// One file served over HTTP on a loopback port (a CRL for the TLS tests) until disposed. Its address is known before
/// its content, so a certificate can name its CRL before the CRL that lists it exists.
/// </summary>
public sealed class StaticHttpFile : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _contentType;
    private int _requests;

    public StaticHttpFile(string name, string contentType)
    {
        _contentType = contentType;
        var prefix = $"http://127.0.0.1:{FreePort.Next()}/";
        _listener.Prefixes.Add(prefix);
        _listener.Start();
        Url = new Uri(prefix + name);
        _ = ServeAsync();
    }

    public Uri Url { get; }

    /// <summary>What is served; empty until set.</summary>
    public byte[] Content { get; set; } = [];

    /// <summary>Requests answered so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            using var response = context.Response;
            if (context.Request.Url?.AbsolutePath == Url.AbsolutePath)
            {
                response.ContentType = _contentType;
                var content = Content;
                response.ContentLength64 = content.Length;
                await response.OutputStream.WriteAsync(content);
            }
            else
            {
                response.StatusCode = 404;
            }
        }
    }

    public void Dispose() => _listener.Close();
}
