using System.Data;
using System.Data.Common;

namespace MailGateway.Gateway.Tracking;

/// <summary>The few ADO.NET helpers the tracking store needs, provider-neutral (SQLite and Npgsql both take <c>@name</c>).</summary>
internal static class Sql
{
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string text)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        return command;
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string text,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, text);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static void Add(DbCommand command, string name, string value) => Add(command, name, value, DbType.String);

    public static void Add(DbCommand command, string name, int? value) => Add(command, name, value, DbType.Int32);

    public static void Add(DbCommand command, string name, long? value) => Add(command, name, value, DbType.Int64);

    private static void Add(DbCommand command, string name, object? value, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    public static int? NullableInt(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToInt32(reader.GetValue(ordinal));

    public static long? NullableLong(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToInt64(reader.GetValue(ordinal));

    public static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    public static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>A LIKE pattern matching <paramref name="text"/> anywhere, with '\' as the escape character.</summary>
    public static string Contains(string text) =>
        "%" + text.ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
