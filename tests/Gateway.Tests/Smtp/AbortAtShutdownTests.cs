using MailGateway.Gateway.Hosting;
using MailGateway.Gateway.Smtp;
using MailGateway.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MailGateway.Gateway.Tests.Smtp;

/// <summary>
/// The worst moment of a stop: the grace has run out and the session is aborted just as its message's store
/// finishes. The gateway is the real one, in this process, with one fake: a processor that returns its 250 only
/// once the abort has fired, which a real store can do by a few microseconds (seen: 5 of 40 SIGTERMs with
/// <c>Smtp:ShutdownGraceSeconds=0</c> stored a message whose 250 never left).
/// </summary>
public class AbortAtShutdownTests
{
    [Fact]
    public async Task A_message_stored_as_the_abort_fires_still_gets_its_250_then_421_4_3_2()
    {
        InProcessGateway.UseOnlyTheTestConfiguration();
        var root = Path.Combine(Path.GetTempPath(), "mailgw-abort-" + Guid.NewGuid().ToString("N")[..12]);
        var smtpPort = FreePort.Next();
        WebApplication? app = null;
        var processor = new StoresAsTheAbortFires(() => app!.StopAsync());
        app = GatewayHost.Build(
        [
            $"--Smtp:Port={smtpPort}", $"--Admin:Url=http://127.0.0.1:{FreePort.Next()}", $"--Storage:Root={root}",
            "--Smtp:ShutdownGraceSeconds=0", "--Smtp:HostName=gw.test", "--Antivirus:Enabled=false",
        ], services => services.Replace(ServiceDescriptor.Singleton<IMessageProcessor>(processor)));
        await app.StartAsync();
        try
        {
            await using var client = await RawSmtpClient.ConnectAsync(smtpPort);
            await client.BeginMessageAsync("a@sender.test", "stored@example.org");
            await client.SendAsync("Subject: stored as the abort fires\r\n\r\nbody\r\n.\r\n");

            var stored = await client.ReadReplyAsync(TimeSpan.FromSeconds(30));
            Assert.True(processor.ReturnedAfterTheAbort);
            Assert.Equal(250, stored.Code);
            Assert.Contains(processor.MessageId!, stored.Text);
            var bye = await client.ReadReplyAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(421, bye.Code);
            Assert.Equal("4.3.2", bye.Enhanced);
            Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            // Stopped by the processor, or here if the test failed before it ran: either way the listener is closed.
            using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await (processor.Stopped ?? app.StopAsync(stopTimeout.Token)).WaitAsync(stopTimeout.Token);
            await app.DisposeAsync();
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>
    /// Starts the gateway's stop (what SIGTERM does), waits for the session's abort token (at once: the grace is 0),
    /// and only then returns the 250 a store that had just finished would return.
    /// </summary>
    private sealed class StoresAsTheAbortFires(Func<Task> stop) : IMessageProcessor
    {
        public Task? Stopped { get; private set; }

        public string? MessageId { get; private set; }

        public bool ReturnedAfterTheAbort { get; private set; }

        public async Task<SmtpReply> ProcessAsync(ReceivedMessage message, CancellationToken cancellationToken)
        {
            MessageId = message.Id;
            var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var registration = cancellationToken.Register(() => aborted.TrySetResult());
            // Not awaited here: the stop waits for this very session.
            Stopped = Task.Run(stop);
            await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30));
            ReturnedAfterTheAbort = cancellationToken.IsCancellationRequested;
            return SmtpReply.Queued(message.Id);
        }
    }
}
