namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>
/// Recovery at start: every message the queue holds (left by a stop or a crash) goes back to the scheduler before
/// the listener accepts new mail, each hop at its recorded next attempt. The queue logs what it found.
/// </summary>
public sealed class RelayRecovery(RelayQueue queue, RelayScheduler scheduler)
{
    public void Recover()
    {
        foreach (var entry in queue.Recover())
        {
            scheduler.Resume(entry);
        }
    }
}
