using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using MailGateway.Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// Two gateway processes behind a real HAProxy (TCP mode, send-proxy-v2), sharing configuration and one real
/// PostgreSQL for tracking and the archive index (<see cref="PostgresServer"/>).
/// </summary>
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
            ["Tracking:ConnectionString"] = await PostgresServer.Shared.CreateDatabaseAsync(),
        };
        await using var a = await GatewayProcess.StartAsync(new Dictionary<string, string>(settings) { ["Tracking:NodeName"] = "a" });
        await using var b = await GatewayProcess.StartAsync(new Dictionary<string, string>(settings) { ["Tracking:NodeName"] = "b" });
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

            // One shared view: every message tracked exactly once, by whichever gateway took it.
            var tracked = await TrackedSubjectsAsync(settings["Tracking:ConnectionString"], total);
            var wrong = Enumerable.Range(0, total).Where(n => tracked.GetValueOrDefault($"scaleout {n}") != 1).ToList();
            Assert.True(wrong.Count == 0, $"tracked other than once: {string.Join(", ", wrong.Select(n => $"{n} ({tracked.GetValueOrDefault($"scaleout {n}")})"))}\n{a.Output}");
            output.WriteLine($"tracked {tracked.Count} messages in the shared database");
        }
        finally
        {
            haproxy.Kill();
            await haproxy.WaitForExitAsync();
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task Two_gateways_sharing_postgresql_list_each_others_archived_messages_and_say_which_holds_the_file()
    {
        var connection = await PostgresServer.Shared.CreateDatabaseAsync();
        await using var a = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Tracking:ConnectionString"] = connection,
            ["Tracking:NodeName"] = "gw-a",
        });
        await using var b = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Tracking:ConnectionString"] = connection,
            ["Tracking:NodeName"] = "gw-b",
        });
        var (codeA, replyA) = await TestMail.SendAsync(a.SmtpPort, TestMail.Text("shared@example.org", "archived on a", "free money"));
        var (codeB, replyB) = await TestMail.SendAsync(b.SmtpPort, TestMail.Text("shared@example.org", "archived on b", "free money"));
        Assert.Equal(250, codeA);
        Assert.Equal(250, codeB);
        var idA = Regex.Match(replyA, "[0-9a-f]{32}").Value;
        var idB = Regex.Match(replyB, "[0-9a-f]{32}").Value;

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var pageA = "";
        var pageB = "";
        for (var i = 0; i < 40 && !(pageA.Contains(idB) && pageB.Contains(idA)); i++)
        {
            await Task.Delay(250);
            pageA = await http.GetStringAsync($"http://127.0.0.1:{a.AdminPort}/archive");
            pageB = await http.GetStringAsync($"http://127.0.0.1:{b.AdminPort}/archive");
        }

        Assert.Contains(idA, pageB);
        Assert.Contains("archived on a", pageB);
        Assert.Contains(idB, pageA);
        Assert.Contains(idA, pageA);
        // Each file stays where it was archived: the other gateway says which one holds it.
        var elsewhere = await http.GetAsync($"http://127.0.0.1:{b.AdminPort}/archive/{idA}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Contains("archived on gateway gw-a", await elsewhere.Content.ReadAsStringAsync());
        var own = await http.GetAsync($"http://127.0.0.1:{b.AdminPort}/archive/{idB}");
        Assert.Equal(System.Net.HttpStatusCode.OK, own.StatusCode);
    }

    private static async Task<Dictionary<string, int>> TrackedSubjectsAsync(string connection, int expected)
    {
        var subjects = new Dictionary<string, int>();
        for (var i = 0; i < 60; i++)
        {
            await using var db = new Npgsql.NpgsqlConnection(connection);
            await db.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("SELECT subject, COUNT(*) FROM messages GROUP BY subject", db);
            await using var reader = await command.ExecuteReaderAsync();
            subjects.Clear();
            while (await reader.ReadAsync())
            {
                subjects[reader.GetString(0)] = (int)reader.GetInt64(1);
            }

            if (subjects.Count >= expected)
            {
                break;
            }

            await Task.Delay(500);
        }

        return subjects;
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
