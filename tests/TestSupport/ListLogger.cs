using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MailGateway.TestSupport;

/// <summary>Keeps every event with its structured properties, so tests can assert on what an administrator would see.</summary>
public class ListLogger : ILogger
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        var properties = state is IReadOnlyList<KeyValuePair<string, object?>> list
            ? list.ToDictionary(pair => pair.Key, pair => pair.Value)
            : [];
        _entries.Enqueue(new LogEntry(logLevel, eventId.Id, formatter(state, exception), properties, exception));
    }
}

/// <summary>The same, for a component that takes an <see cref="ILogger{TCategoryName}"/>.</summary>
public sealed class ListLogger<T> : ListLogger, ILogger<T>;

/// <summary>One kept event.</summary>
public sealed record LogEntry(LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, object?> Properties,
    Exception? Exception);
