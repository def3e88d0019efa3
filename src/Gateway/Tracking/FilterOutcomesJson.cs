using System.Buffers;
using System.Text;
using System.Text.Json;

namespace MailGateway.Gateway.Tracking;

/// <summary>
/// A message's filter outcomes as one JSON text column (<c>messages.filters</c>): <c>[["Spf","pass",null,null,120],…]</c>
/// (filter, outcome, SCL before, SCL after, microseconds; position is the index). One column instead of a row per
/// filter keeps a record at two rows, which is most of what tracking costs per message.
/// </summary>
public static class FilterOutcomesJson
{
    public static string Write(IReadOnlyList<FilterOutcome> filters)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * (filters.Count + 1));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var f in filters.OrderBy(f => f.Position))
            {
                json.WriteStartArray();
                json.WriteStringValue(TrackingLimits.Bound(f.Filter, 64));
                json.WriteStringValue(TrackingLimits.Bound(f.Outcome, TrackingLimits.TextChars));
                WriteScl(json, f.SclBefore);
                WriteScl(json, f.SclAfter);
                json.WriteNumberValue(f.ElapsedMicroseconds);
                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyList<FilterOutcome> Read(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.EnumerateArray().Select((e, i) => new FilterOutcome(i, e[0].GetString() ?? "",
            e[1].GetString() ?? "", Scl(e[2]), Scl(e[3]), e[4].GetInt64())).ToList();
    }

    private static void WriteScl(Utf8JsonWriter json, int? scl)
    {
        if (scl is { } value)
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteNullValue();
        }
    }

    private static int? Scl(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetInt32();
}
