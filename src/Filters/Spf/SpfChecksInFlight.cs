using System.Collections.Concurrent;
using System.Net;
using MailGateway.Filters.Chain;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Spf;

/// <summary>
/// SPF evaluations started at the beginning of DATA/BDAT (<see cref="IEarlyLookup"/>) and taken by the Spf filter once
/// the message is in, one per client address, envelope sender and HELO name. An evaluation runs under its own
/// <c>Spf:TimeoutSeconds</c> (a temperror past it), not under the session's token. One nobody takes (a message refused
/// at the end of DATA) is dropped after two minutes; past <see cref="Capacity"/> evaluations waiting, nothing more is
/// started early and the filter evaluates as it did before. Mail from the relay networks starts nothing: the session
/// does not call <see cref="Start"/> for it (<see cref="IEarlyLookup"/>).
/// </summary>
public sealed class SpfChecksInFlight(SpfEvaluator evaluator, IOptions<SpfOptions> options, TimeProvider time) : IEarlyLookup
{
    public const int Capacity = 10_000;

    public string FilterName => SpfFilter.FilterName;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<(IPAddress Client, string Sender, string Helo), (Task<SpfVerdict> Check, long Started)> _started = new();
    private long _lastSweep;
    private int _waiting; // the dictionary's own Count takes every one of its locks

    public void Start(IPAddress client, string heloName, string sender)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        Sweep();
        var key = (client, sender, heloName);
        if (Volatile.Read(ref _waiting) >= Capacity || _started.ContainsKey(key))
        {
            return;
        }

        // Two sessions starting the same envelope at once both evaluate; the second is not kept (its session, or the
        // other, evaluates again when it takes none): rare, and never a wrong verdict.
        if (_started.TryAdd(key, (EvaluateAsync(client, sender, heloName, CancellationToken.None), time.GetTimestamp())))
        {
            Interlocked.Increment(ref _waiting);
        }
    }

    /// <summary>The evaluation started for this envelope, or a new one when none was.</summary>
    public Task<SpfVerdict> TakeOrEvaluateAsync(IPAddress client, string sender, string heloName, CancellationToken cancellationToken)
    {
        if (!_started.TryRemove((client, sender, heloName), out var started))
        {
            return EvaluateAsync(client, sender, heloName, cancellationToken);
        }

        Interlocked.Decrement(ref _waiting);
        return started.Check.WaitAsync(cancellationToken);
    }

    /// <summary>Evaluations started and not yet taken.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    private async Task<SpfVerdict> EvaluateAsync(IPAddress client, string sender, string heloName, CancellationToken cancellationToken)
    {
        var seconds = options.Value.TimeoutSeconds;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        try
        {
            return await evaluator.CheckAsync(client, sender, heloName, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SpfVerdict(SpfResult.TempError, sender.Length == 0 ? "helo" : "mailfrom",
                sender.Length == 0 ? heloName : sender, "", $"no answer within {seconds} s");
        }
    }

    private void Sweep()
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastSweep);
        if (time.GetElapsedTime(last, now) < TimeSpan.FromSeconds(30) || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (key, started) in _started)
        {
            if (time.GetElapsedTime(started.Started, now) > Lifetime)
            {
                if (_started.TryRemove(KeyValuePair.Create(key, started)))
                {
                    Interlocked.Decrement(ref _waiting);
                }
            }
        }
    }
}
