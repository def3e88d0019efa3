using Microsoft.Extensions.Options;

namespace MailGateway.Gateway.Configuration;

/// <summary>Checks the <c>Storage</c> section at start: the root must be creatable and writable.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.Root))
        {
            return ValidateOptionsResult.Fail("Storage:Root: must not be empty");
        }

        if (o.SpoolMemoryBytes < 0 || o.SpoolMemoryBytes > 64 * 1024 * 1024)
        {
            return ValidateOptionsResult.Fail(
                $"Storage:SpoolMemoryBytes: must be between 0 and 67108864 (was {o.SpoolMemoryBytes})");
        }

        if (!Enum.IsDefined(o.Sync))
        {
            return ValidateOptionsResult.Fail(
                $"Storage:Sync: must be FileSystem or PerFile (was {(int)o.Sync})");
        }

        try
        {
            Directory.CreateDirectory(o.FullRoot);
            var probe = Path.Combine(o.FullRoot, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ValidateOptionsResult.Fail($"Storage:Root: '{o.Root}' is not writable ({ex.Message})");
        }

        return ValidateOptionsResult.Success;
    }
}
