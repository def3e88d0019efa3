using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using MailGateway.Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>Two gateway processes behind a real HAProxy (TCP mode, send-proxy-v2), sharing nothing but configuration.</summary>
public class ScaleOutTests(ITestOutputHelper output)
{
    private const string ClientAddress = "127.0.0.5";

    [Fact]
    public async Task A_thousand_messages_through_haproxy_arrive_exactly_once_even_when_one_gateway_stops()
    {
        var dir = Directory.CreateTempSubdirectory("mailgw-scaleout-");
        var allowList = Path.Combine(dir.FullName, "allowlist.json");
        await File.WriteAllTextAsync(allowList, $$"""{ "allow": { "ips": ["{{ClientAddress}}"] } }""");
        var settings = new Dictionary<string, string>
        {
            ["Smtp:TrustedProxies:0"] = "127.0.0.1",
            ["Smtp:MaxConnectionsPerIp"] = "500",
            ["AllowList:Path"] = allowList,
        };
        await using var a = await GatewayProcess.StartAsync(settings);
        await using var b = await GatewayProcess.StartAsync(settings);
        var frontPort = FreePort.Next();
        var config = Path.Combine(dir.FullName, "haproxy.cfg");
        await File.WriteAllTextAsync(config, $"""
            global
              maxconn 2000
            defaults
              mode tcp
              timeout connect 2s
              timeout client 60s
              timeout server 60s
              retries 3
              option redispatch
            frontend smtp
              bind 127.0.0.1:{frontPort}
              default_backend gateways
            backend gateways
              balance roundrobin
              server a 127.0.0.1:{a.SmtpPort} send-proxy-v2 check inter 300 fall 1 rise 2 check-send-proxy
              server b 127.0.0.1:{b.SmtpPort} send-proxy-v2 check inter 300 fall 1 rise 2 check-send-proxy

            """);
        using var haproxy = Process.Start(new ProcessStartInfo("haproxy", ["-f", config, "-db"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            await WaitForPortAsync(frontPort, haproxy);
            const int total = 1000;
            var next = -1;
            var acknowledged = new ConcurrentBag<int>();
            var retries = 0;
            Task<int>? stopped = null;
            var stopOnce = 0;
            var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                int n;
                while ((n = Interlocked.Increment(ref next)) < total)
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        if (await TrySendAsync(frontPort, n))
                        {
                            acknowledged.Add(n);
                            break;
                        }

                        Interlocked.Increment(ref retries);
                        Assert.True(attempt < 50, $"message {n} could not be delivered");
                        await Task.Delay(100);
                    }

                    if (acknowledged.Count >= 300 && Interlocked.Exchange(ref stopOnce, 1) == 0)
                    {
                        stopped = a.TerminateAsync(TimeSpan.FromSeconds(30));
                    }
                }
            })).ToList();
            await Task.WhenAll(workers);
            Assert.NotNull(stopped);
            Assert.Equal(0, await stopped);

            var stored = a.AllStoredMessages().Concat(b.AllStoredMessages()).ToList();
            var subjects = stored.Select(f => Regex.Match(File.ReadAllText(f), @"Subject: scaleout (\d+)").Groups[1].Value)
                .GroupBy(s => s).ToDictionary(g => int.Parse(g.Key), g => g.Count());
            output.WriteLine($"acknowledged {acknowledged.Count}, stored {stored.Count} (a {a.AllStoredMessages().Count}, " +
                             $"b {b.AllStoredMessages().Count}), client retries {retries}");
            Assert.Equal(total, acknowledged.Distinct().Count());
            Assert.All(Enumerable.Range(0, total), n => Assert.Equal(1, subjects.GetValueOrDefault(n)));
            Assert.NotEmpty(a.AllStoredMessages());
            Assert.NotEmpty(b.AllStoredMessages());
            var sample = await File.ReadAllTextAsync(stored[0]);
            Assert.Contains("X-MailGateway-SCL: -1", sample);
            Assert.Contains("AllowList=allowed:ClientNetwork", sample);
            Assert.Contains($"([{ClientAddress}])", sample);
        }
        finally
        {
            haproxy.Kill();
            await haproxy.WaitForExitAsync();
            dir.Delete(true);
        }
    }

    private static async Task<bool> TrySendAsync(int port, int n)
    {
        try
        {
            await using var client = await RawSmtpClient.ConnectAsync(port, localAddress: ClientAddress);
            await client.BeginMessageAsync("app@sender.test", "scaleout@example.org");
            await client.SendAsync($"Subject: scaleout {n}\r\n\r\nmessage {n}\r\n.\r\n");
            var reply = await client.ReadReplyAsync(TimeSpan.FromSeconds(20));
            if (reply.Code != 250)
            {
                return false;
            }

            await client.SendAsync("QUIT\r\n");
            return true;
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or Xunit.Sdk.XunitException
                                       or InvalidOperationException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitForPortAsync(int port, Process haproxy)
    {
        for (var i = 0; i < 100; i++)
        {
            if (haproxy.HasExited)
            {
                throw new InvalidOperationException($"haproxy exited with {haproxy.ExitCode}: " +
                                                    await haproxy.StandardError.ReadToEndAsync() + await haproxy.StandardOutput.ReadToEndAsync());
            }

            try
            {
                using var tcp = new System.Net.Sockets.TcpClient();
                await tcp.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"haproxy did not listen on {port}");
    }
}
