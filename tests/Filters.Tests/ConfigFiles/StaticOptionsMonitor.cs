using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Tests.ConfigFiles;

/// <summary>An options monitor over one fixed value.</summary>
public sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
