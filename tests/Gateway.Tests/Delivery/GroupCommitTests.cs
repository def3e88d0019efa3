using MailGateway.Gateway.Delivery;

namespace MailGateway.Gateway.Tests.Delivery;

/// <summary>Group commit: requests made while a sync runs share the next one; none is covered by a sync that started before it.</summary>
public sealed class GroupCommitTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Requests_made_while_a_sync_runs_share_one_later_sync_and_wait_for_it()
    {
        var syncs = 0;
        using var firstStarted = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        var commit = new GroupCommit(_ =>
        {
            if (Interlocked.Increment(ref syncs) == 1)
            {
                firstStarted.Set();
                releaseFirst.Wait(Wait);
            }
        }, "test");

        var first = commit.RequestAsync("k");
        Assert.True(firstStarted.Wait(Wait));
        var later = Enumerable.Range(0, 10).Select(_ => commit.RequestAsync("k")).ToArray();

        // The running sync began before these requests: it must not complete them.
        await Task.Delay(100);
        Assert.False(first.IsCompleted);
        Assert.All(later, t => Assert.False(t.IsCompleted));

        releaseFirst.Set();
        await first.WaitAsync(Wait);
        await Task.WhenAll(later).WaitAsync(Wait);
        Assert.Equal(2, Volatile.Read(ref syncs));
    }

    [Fact]
    public async Task Keys_are_synced_separately()
    {
        var keys = new List<string>();
        var commit = new GroupCommit(key =>
        {
            lock (keys)
            {
                keys.Add(key);
            }
        }, "test");

        await Task.WhenAll(commit.RequestAsync("a"), commit.RequestAsync("b")).WaitAsync(Wait);

        Assert.Equal(["a", "b"], keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_failed_sync_fails_the_requests_it_covered_and_the_next_request_syncs_again()
    {
        var calls = 0;
        var commit = new GroupCommit(_ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new IOException("syncfs /var: Input/output error");
            }
        }, "test");

        var failed = await Assert.ThrowsAsync<IOException>(() => commit.RequestAsync("k").WaitAsync(Wait));
        Assert.Contains("Input/output error", failed.Message);

        await commit.RequestAsync("k").WaitAsync(Wait);
        Assert.Equal(2, calls);
    }
}
