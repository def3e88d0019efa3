using System.Collections.Concurrent;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// One background thread that runs posted work in order: for blocking calls (a file system sync) that would otherwise
/// hold a thread-pool thread while sessions' continuations wait behind it.
/// </summary>
public sealed class DedicatedThread
{
    private readonly BlockingCollection<Action> _work = new();

    public DedicatedThread(string name)
    {
        new Thread(RunLoop) { IsBackground = true, Name = name }.Start();
    }

    public void Post(Action work) => _work.Add(work);

    private void RunLoop()
    {
        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }
}
