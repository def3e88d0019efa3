using Microsoft.Extensions.Options;
using Npgsql;

namespace MailGateway.Gateway.Tracking;

/// <summary>
/// Checks the <c>Tracking</c> section at start: bounds, and a connection string that parses. Whether the database
/// answers is not checked here: a database that is down never stops mail (<see cref="TrackingWriter"/>).
/// </summary>
public sealed class TrackingOptionsValidator : IValidateOptions<TrackingOptions>
{
    public ValidateOptionsResult Validate(string? name, TrackingOptions o)
    {
        var errors = new List<string>();
        if (o.RetentionDays is < 1 or > 3650)
        {
            errors.Add($"Tracking:RetentionDays: must be between 1 and 3650 (was {o.RetentionDays})");
        }

        if (o.QueueCapacity is < 10 or > 1_000_000)
        {
            errors.Add($"Tracking:QueueCapacity: must be between 10 and 1000000 (was {o.QueueCapacity})");
        }

        if (o.BatchSize is < 1 or > 10_000)
        {
            errors.Add($"Tracking:BatchSize: must be between 1 and 10000 (was {o.BatchSize})");
        }

        if (o.IsPostgres)
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(o.ConnectionString);
            }
            catch (ArgumentException ex)
            {
                errors.Add($"Tracking:ConnectionString: not a PostgreSQL connection string ({ex.Message})");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
