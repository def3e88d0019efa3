using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>A logger that keeps what was logged, for unit tests that check a decision was reported.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter) => Entries.Enqueue((logLevel, formatter(state, exception)));
}
