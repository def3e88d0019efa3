using System.Buffers;
using System.Text;
using MailGateway.Gateway.Configuration;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Smtp;

/// <summary>
/// One client conversation: reads command lines, runs the command (which asks <see cref="SmtpStateTable"/> whether it
/// may run), moves to the state the table gives for its outcome and queues its reply. Replies are flushed whenever
/// the client has nothing more pipelined.
/// </summary>
public sealed class SmtpSession
{
    private const int MaxCommandLine = 4096;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly CancellationToken _stopping;
    private readonly CancellationToken _abort;

    // One timer for the whole session, re-armed per command line (a new one per line was a measurable cost).
    private readonly CancellationTokenSource _lineTimeout = new();
    private readonly CancellationTokenSource _flushCancel;
    private readonly CancellationTokenSource _readCancel;

    public SmtpSession(SmtpConnection connection, SmtpSessionServices services, string id,
        CancellationToken stopping, CancellationToken abort)
    {
        Connection = connection;
        Services = services;
        Id = id;
        _stopping = stopping;
        _abort = abort;
        // Replies already earned (a 250 for a stored message above all) are flushed even while stopping.
        _flushCancel = CancellationTokenSource.CreateLinkedTokenSource(_lineTimeout.Token, abort);
        _readCancel = CancellationTokenSource.CreateLinkedTokenSource(_lineTimeout.Token, stopping, abort);
    }

    public string Id { get; }

    public SmtpConnection Connection { get; }

    public SmtpSessionServices Services { get; }

    public SmtpOptions Options => Services.Options;

    public System.Net.IPAddress ClientAddress => Connection.RemoteEndPoint.Address;

    /// <summary>Where the session is; only <see cref="SmtpStateTable.Next"/> moves it.</summary>
    public SmtpSessionState State { get; private set; } = SmtpSessionState.Connected;

    public string? HeloName { get; private set; }

    /// <summary>True after EHLO (as opposed to HELO): ESMTP parameters are allowed.</summary>
    public bool Extended { get; private set; }

    public SmtpTransaction? Transaction { get; private set; }

    public int Errors { get; private set; }

    /// <summary>
    /// Cancelled when the gateway stops hard: work in progress is abandoned; replies already given, and a 421, are
    /// still sent.
    /// </summary>
    public CancellationToken AbortToken => _abort;

    public ILogger Logger => Services.Logger;

    /// <summary>Takes in what a command did: what it leaves behind, and the next state from the state table.</summary>
    private void Apply(SmtpOutcome outcome)
    {
        switch (outcome.Event)
        {
            case SmtpEvent.Greeted:
                HeloName = outcome.HeloName;
                Extended = outcome.Extended;
                DropTransaction();
                break;
            case SmtpEvent.TlsStarted:
                HeloName = null;
                Extended = false;
                DropTransaction();
                break;
            case SmtpEvent.MailAccepted:
                Transaction = outcome.Transaction;
                break;
            case SmtpEvent.TransactionEnded or SmtpEvent.TransactionReset:
                DropTransaction();
                break;
        }

        State = SmtpStateTable.Next(State, outcome.Event);
    }

    private void DropTransaction()
    {
        Transaction?.Dispose();
        Transaction = null;
    }

    public async Task RunAsync()
    {
        using var scope = Logger.BeginScope(new Dictionary<string, object>
        {
            ["SessionId"] = Id,
            ["ClientIp"] = ClientAddress.ToString(),
        });
        if (Connection.PeerEndPoint.Address.Equals(ClientAddress))
        {
            // Per-session lines are Debug: at hundreds of messages a second the per-message decision event is the one to keep.
            Logger.LogDebug("Session {SessionId} opened from {ClientIp}", Id, ClientAddress);
        }
        else
        {
            Logger.LogDebug("Session {SessionId} opened from {ClientIp} via proxy {ProxyIp}", Id, ClientAddress,
                Connection.PeerEndPoint.Address);
        }
        var closeReason = "client quit";
        try
        {
            Connection.Enqueue(SmtpReply.Greeting(Services.HostName));
            closeReason = await CommandLoopAsync();
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // A reply already given still goes out, on a timeout of its own: it may be the 250 for a message stored
            // just before the abort, and a client that never saw it would send the message again. A message still
            // being received or filtered was not stored and gets no 250; the 421 says why the session ends.
            closeReason = Connection.HasPendingReplies ? "aborted at shutdown after its last reply" : "aborted at shutdown";
            await TrySendAsync(SmtpReply.ServiceUnavailableShuttingDown, SmtpListener.AbortedSessionReplyTimeout);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException
                                       or System.Security.Authentication.AuthenticationException)
        {
            closeReason = $"connection lost: {ex.Message}";
        }
        catch (Exception ex)
        {
            closeReason = "internal error";
            Logger.LogError(ex, "Session {SessionId} failed", Id);
            await TrySendAsync(SmtpReply.LocalError);
        }
        finally
        {
            DropTransaction();
            _readCancel.Dispose();
            _flushCancel.Dispose();
            _lineTimeout.Dispose();
            var level = closeReason is "client quit" or "client disconnected" ? LogLevel.Debug : LogLevel.Information;
            Logger.Log(level, "Session {SessionId} from {ClientIp} closed: {CloseReason}", Id, ClientAddress, closeReason);
        }
    }

    private async Task<string> CommandLoopAsync()
    {
        while (true)
        {
            var line = await ReadCommandLineAsync();
            switch (line.Kind)
            {
                case LineKind.EndOfStream:
                    return "client disconnected";
                case LineKind.Timeout:
                    await TrySendAsync(SmtpReply.CommandTimeout);
                    return "command timeout";
                case LineKind.ShuttingDown:
                    await TrySendAsync(SmtpReply.ServiceUnavailableShuttingDown);
                    return "gateway shutting down";
                case LineKind.TooLong:
                    if (await ReplyAsync(SmtpReply.LineTooLong, "(line too long)"))
                    {
                        return "too many errors";
                    }

                    continue;
                case LineKind.InvalidUtf8:
                    if (await ReplyAsync(SmtpReply.InvalidUtf8, "(invalid UTF-8)"))
                    {
                        return "too many errors";
                    }

                    continue;
            }

            var reply = await ExecuteAsync(line.Text!);
            if (reply is null)
            {
                continue;
            }

            if (await ReplyAsync(reply, line.Text!))
            {
                return "too many errors";
            }

            if (reply.ClosesSession)
            {
                await Connection.FlushAsync(_abort);
                return reply.Code == 221 ? "client quit" : reply.ToString();
            }
        }
    }

    /// <summary>Queues the reply; returns true when the error limit is reached and the session was ended.</summary>
    private async Task<bool> ReplyAsync(SmtpReply reply, string command)
    {
        Connection.Enqueue(reply);
        if (reply.Code is 500 or 501 or 502 or 503 or 504 or 530 or 550 or 553 or 555)
        {
            Errors++;
            Logger.LogDebug("Session {SessionId}: {Command} -> {ReplyCode} ({Errors} errors)", Id,
                Redact(command), reply.Code, Errors);
            if (Errors >= Options.MaxErrors)
            {
                await TrySendAsync(SmtpReply.TooManyErrors);
                return true;
            }
        }

        return false;
    }

    private async Task<SmtpReply?> ExecuteAsync(string line)
    {
        var space = line.IndexOf(' ');
        var verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
        var argument = space < 0 ? "" : line[(space + 1)..];
        var command = Services.Commands.Find(verb);
        if (command is null)
        {
            return SmtpReply.UnknownCommand;
        }

        var outcome = await command.ExecuteAsync(this, argument, _abort);
        Apply(outcome);
        return outcome.Reply;
    }

    /// <summary>Sends a final reply now, ignoring a connection that is already gone.</summary>
    public async Task TrySendAsync(SmtpReply reply, TimeSpan? timeout = null)
    {
        try
        {
            Connection.Enqueue(reply);
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
            await Connection.FlushAsync(cts.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException
                                       or System.Net.Sockets.SocketException)
        {
        }
    }

    private async Task<CommandLine> ReadCommandLineAsync()
    {
        _lineTimeout.CancelAfter(TimeSpan.FromSeconds(Options.CommandTimeoutSeconds));
        try
        {
            return await ReadCommandLineCoreAsync();
        }
        finally
        {
            if (!_lineTimeout.IsCancellationRequested)
            {
                _lineTimeout.CancelAfter(Timeout.InfiniteTimeSpan);
            }
        }
    }

    private async Task<CommandLine> ReadCommandLineCoreAsync()
    {
        var discarding = false;
        var reader = Connection.Reader;
        while (true)
        {
            System.IO.Pipelines.ReadResult result;
            try
            {
                if (!reader.TryRead(out result))
                {
                    await Connection.FlushAsync(_flushCancel.Token);
                    result = await reader.ReadAsync(_readCancel.Token);
                }
            }
            catch (OperationCanceledException) when (!_abort.IsCancellationRequested)
            {
                return new CommandLine(_lineTimeout.IsCancellationRequested ? LineKind.Timeout : LineKind.ShuttingDown, null);
            }

            var buffer = result.Buffer;
            var lf = buffer.PositionOf((byte)'\n');
            if (lf is null)
            {
                if (buffer.Length > MaxCommandLine)
                {
                    // Drop what we have and keep dropping up to the next LF.
                    reader.AdvanceTo(buffer.End);
                    discarding = true;
                    continue;
                }

                if (result.IsCompleted)
                {
                    reader.AdvanceTo(buffer.End);
                    return new CommandLine(LineKind.EndOfStream, null);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            var lineBytes = buffer.Slice(0, lf.Value);
            var next = buffer.GetPosition(1, lf.Value);
            if (discarding || lineBytes.Length > MaxCommandLine)
            {
                reader.AdvanceTo(next);
                return new CommandLine(LineKind.TooLong, null);
            }

            var text = Decode(lineBytes);
            reader.AdvanceTo(next);
            return new CommandLine(text is null ? LineKind.InvalidUtf8 : LineKind.Line, text);
        }
    }

    /// <summary>
    /// The command line as text, or null when it is not valid UTF-8: a replacement character would otherwise reach
    /// addresses, folder names and headers as if the client had sent it.
    /// </summary>
    private static string? Decode(ReadOnlySequence<byte> bytes)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        return text.EndsWith('\r') ? text[..^1] : text;
    }

    /// <summary>Logs commands without anything that could be a credential.</summary>
    private static string Redact(string command) => command.Length > 200 ? command[..200] + "…" : command;

    private enum LineKind
    {
        Line,
        TooLong,
        InvalidUtf8,
        EndOfStream,
        Timeout,
        ShuttingDown,
    }

    private readonly record struct CommandLine(LineKind Kind, string? Text);
}
