using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MailGateway.Scl.Model.Tests;

/// <summary>Keeps every event, so tests can assert on what an administrator would see in the log.</summary>
public sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, int EventId, string Message)> entries = new();

    public IReadOnlyList<(LogLevel Level, int EventId, string Message)> Entries => entries.ToArray();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        entries.Enqueue((logLevel, eventId.Id, formatter(state, exception)));
}
