namespace MailGateway.Gateway.Delivery;

/// <summary>
/// Group commit of a blocking sync call, per key: callers that ask while a sync is running share the next one instead
/// of queueing one each. A caller's change is covered by any sync that starts after the caller asked, so each request
/// waits for the first sync that began after it. The syncs of a key run where <paramref name="start"/> puts them (given
/// the key; a thread-pool thread when it is null), in a loop that lasts while that key has requests, so keys must not
/// share one thread; a failed sync fails every request it covered. Each sync is recorded in
/// <see cref="StorageMetrics"/> under <paramref name="kind"/>.
/// </summary>
public sealed class GroupCommit(Action<string> sync, string kind, Action<string, Action>? start = null)
{
    private readonly Action<string, Action> _start = start ?? ((_, work) => Task.Run(work));
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);

    /// <summary>Completes when a sync of <paramref name="key"/> that started after this call has finished.</summary>
    public Task RequestAsync(string key)
    {
        State state;
        TaskCompletionSource waiter;
        var start = false;
        lock (_states)
        {
            if (!_states.TryGetValue(key, out state!))
            {
                _states[key] = state = new State();
            }

            var generation = ++state.Requested;
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            state.Waiters.Add((generation, waiter));
            if (!state.Running)
            {
                state.Running = true;
                start = true;
            }
        }

        if (start)
        {
            _start(key, () => Run(key, state));
        }

        return waiter.Task;
    }

    private void Run(string key, State state)
    {
        while (true)
        {
            long target;
            lock (_states)
            {
                target = state.Requested;
                if (state.Completed >= target)
                {
                    state.Running = false;
                    _states.Remove(key);
                    return;
                }
            }

            Exception? error = null;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                sync(key);
            }
            catch (Exception ex)
            {
                error = ex;
            }

            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            List<TaskCompletionSource> done;
            long covered;
            lock (_states)
            {
                covered = target - state.Completed;
                state.Completed = target;
                done = state.Waiters.Where(w => w.Generation <= target).Select(w => w.Waiter).ToList();
                state.Waiters.RemoveAll(w => w.Generation <= target);
            }

            StorageMetrics.Synced(kind, elapsed, covered);

            foreach (var w in done)
            {
                if (error is null)
                {
                    w.TrySetResult();
                }
                else
                {
                    w.TrySetException(error);
                }
            }
        }
    }

    private sealed class State
    {
        public long Requested;
        public long Completed;
        public bool Running;
        public readonly List<(long Generation, TaskCompletionSource Waiter)> Waiters = new();
    }
}
