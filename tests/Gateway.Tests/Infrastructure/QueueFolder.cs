using System.Text.Json;

namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>A relay-mode gateway's queue as the tests see it: the files in <c>&lt;Storage:Root&gt;/queue/</c>.</summary>
public static class QueueFolder
{
    public static string[] Files(GatewayProcess gateway, string pattern)
    {
        var dir = Path.Combine(gateway.StorageRoot, "queue");
        return Directory.Exists(dir) ? Directory.GetFiles(dir, pattern) : [];
    }

    /// <summary>
    /// The state of every queued message (envelope, and per hop its attempts and last error): its <c>.json</c> once an
    /// attempt has written one, else the envelope line on top of its <c>.eml</c>.
    /// </summary>
    public static IReadOnlyList<JsonElement> States(GatewayProcess gateway) =>
        Files(gateway, "*.eml").Select(StateOf).ToList();

    private static JsonElement StateOf(string message)
    {
        var state = Path.ChangeExtension(message, ".json");
        if (File.Exists(state))
        {
            return JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(state));
        }

        using var reader = new StreamReader(message);
        const string prefix = "X-MailGateway-Queue: ";
        var line = reader.ReadLine() ?? "";
        Xunit.Assert.StartsWith(prefix, line);
        return JsonSerializer.Deserialize<JsonElement>(line[prefix.Length..]);
    }

    /// <summary>Waits until the state files satisfy <paramref name="condition"/>; false after the timeout.</summary>
    public static async Task<bool> WaitForStatesAsync(GatewayProcess gateway,
        Func<IReadOnlyList<JsonElement>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (condition(States(gateway)))
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is IOException or JsonException)
            {
                // A state file replaced or removed while it was read: look again.
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>Waits until no message is left (no .eml, and no .json left behind); false after the timeout.</summary>
    public static async Task<bool> WaitUntilEmptyAsync(GatewayProcess gateway, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Files(gateway, "*.json").Length == 0 && Files(gateway, "*.eml").Length == 0)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
