using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace MailGateway.Gateway.Logging;

/// <summary>
/// Writes log events to standard output a batch at a time: one write per batch instead of one per event, so at
/// hundreds of messages a second the per-message log line costs formatting, not a system call each. Same text as
/// Serilog's console sink with its default template.
/// </summary>
public sealed class BatchedConsoleSink : IBatchedLogEventSink, IDisposable
{
    public const string OutputTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>How long an event may wait for others to share its write. The first event of a quiet spell is written at once.</summary>
    public static readonly TimeSpan BufferingTimeLimit = TimeSpan.FromMilliseconds(50);

    private readonly ITextFormatter _formatter;
    private readonly Stream _output;
    private readonly StringWriter _text = new(CultureInfo.InvariantCulture);

    public BatchedConsoleSink(ITextFormatter formatter, Stream output)
    {
        _formatter = formatter;
        _output = output;
    }

    public static BatchedConsoleSink ForStandardOutput() =>
        new(new MessageTemplateTextFormatter(OutputTemplate, CultureInfo.InvariantCulture), Console.OpenStandardOutput());

    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        _text.GetStringBuilder().Clear();
        foreach (var logEvent in batch)
        {
            _formatter.Format(logEvent, _text);
        }

        var bytes = Encoding.UTF8.GetBytes(_text.GetStringBuilder().ToString());
        _output.Write(bytes);
        _output.Flush();
        return Task.CompletedTask;
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    public void Dispose() => _output.Dispose();
}
