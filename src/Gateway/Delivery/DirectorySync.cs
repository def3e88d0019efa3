namespace MailGateway.Gateway.Delivery;

/// <summary>
/// Group commit for directory fsyncs: many sessions linking into the same new/ at once share one fsync instead of
/// queueing one each. A caller's change is covered by any fsync that starts after the caller asked, so each request
/// waits for the first fsync that began after it.
/// </summary>
public sealed class DirectorySync
{
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);

    public Task SyncAsync(string directory)
    {
        State state;
        TaskCompletionSource waiter;
        var start = false;
        lock (_states)
        {
            if (!_states.TryGetValue(directory, out state!))
            {
                _states[directory] = state = new State();
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
            _ = Task.Run(() => RunAsync(directory, state));
        }

        return waiter.Task;
    }

    private void RunAsync(string directory, State state)
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
                    _states.Remove(directory);
                    return;
                }
            }

            Exception? error = null;
            try
            {
                DurableIo.FsyncDirectory(directory);
            }
            catch (Exception ex)
            {
                error = ex;
            }

            List<TaskCompletionSource> done;
            lock (_states)
            {
                state.Completed = target;
                done = state.Waiters.Where(w => w.Generation <= target).Select(w => w.Waiter).ToList();
                state.Waiters.RemoveAll(w => w.Generation <= target);
            }

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
