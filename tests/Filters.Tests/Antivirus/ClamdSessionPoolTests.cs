using MailGateway.Filters.Antivirus;

namespace MailGateway.Filters.Tests.Antivirus;

/// <summary>Scans over pooled IDSESSION connections: against the real clamd, and against a fake that drops sessions.</summary>
[Collection(ClamdCollection.Name)]
public sealed class ClamdSessionPoolTests(ClamdFixture clamd)
{
    [Fact]
    public async Task Many_scans_share_a_few_sessions_and_each_gets_its_own_verdict()
    {
        await using var pool = new ClamdSessionPool();
        var endpoint = ClamdEndpoint.Tcp("127.0.0.1", clamd.Port);

        // Four at a time, infected and clean interleaved: a verdict must never belong to another scan on the session.
        var results = new List<(int Index, ClamdScanResult Result)>();
        foreach (var batch in Enumerable.Range(0, 40).Chunk(4))
        {
            results.AddRange(await Task.WhenAll(batch.Select(async i =>
            {
                using var content = i % 3 == 0
                    ? TestMessages.WithAttachment($"eicar{i}.com", TestMessages.Eicar)
                    : TestMessages.Clean(2_000 + i);
                return (i, await pool.ScanAsync(endpoint, content, CancellationToken.None));
            })));
        }

        Assert.Equal(40, results.Count);
        Assert.All(results, r => Assert.Equal(r.Index % 3 == 0 ? ClamdReplyStatus.Infected : ClamdReplyStatus.Clean,
            r.Result.Reply.Status));
        Assert.InRange(pool.SessionsOpened, 1, 8);
    }

    [Fact]
    public async Task A_unix_socket_session_is_reused_after_an_infected_verdict()
    {
        await using var pool = new ClamdSessionPool();
        var endpoint = ClamdEndpoint.Unix(clamd.SocketPath);

        using var infected = TestMessages.WithAttachment("eicar.com", TestMessages.Eicar);
        var first = await pool.ScanAsync(endpoint, infected, CancellationToken.None);
        using var clean = TestMessages.Clean(5_000);
        var second = await pool.ScanAsync(endpoint, clean, CancellationToken.None);

        Assert.Equal(ClamdReplyStatus.Infected, first.Reply.Status);
        Assert.StartsWith("Eicar-Test-Signature", first.Reply.Signature, StringComparison.Ordinal);
        Assert.Equal(ClamdReplyStatus.Clean, second.Reply.Status);
        Assert.Equal(1, pool.SessionsOpened);
    }

    [Theory]
    [InlineData("stream: OK", true, ClamdReplyStatus.Clean)]
    [InlineData("stream: Can't allocate memory ERROR", false, ClamdReplyStatus.Error)]
    public async Task A_session_that_cannot_go_on_is_replaced_without_a_failed_scan(string reply, bool serverDropsSessions,
        ClamdReplyStatus expected)
    {
        // Either the server ends each session after one scan (clamd dropping an idle session), or the reply is an
        // error after which the gateway does not trust the session: every scan still gets the server's verdict.
        await using var fake = new FakeClamd(reply) { CloseSessionsAfterOneScan = serverDropsSessions };
        await using var pool = new ClamdSessionPool();
        var endpoint = ClamdEndpoint.Tcp("127.0.0.1", fake.Port);

        for (var i = 0; i < 3; i++)
        {
            using var content = TestMessages.Clean(1_000);
            var result = await pool.ScanAsync(endpoint, content, CancellationToken.None);
            Assert.Equal(expected, result.Reply.Status);
        }

        Assert.Equal(3, pool.SessionsOpened);
        Assert.Equal(3, fake.Sessions);
    }
}
