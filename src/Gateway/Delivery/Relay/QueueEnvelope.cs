using System.Buffers;
using System.Text.Json;

namespace MailGateway.Gateway.Delivery.Relay;

/// <summary>
/// The envelope record on the first line of a queue file, so that a message and its envelope are one file, one fsync
/// and one rename (as in Postfix's queue files): <c>X-MailGateway-Queue: {compact JSON of the QueueEntry}</c> and CRLF,
/// then the message bytes exactly as they are relayed. The JSON is the same as in <c>&lt;id&gt;.json</c>; it is pure
/// ASCII (System.Text.Json escapes everything else and every control character), so the line can hold no CR or LF.
/// </summary>
public static class QueueEnvelope
{
    public const string FieldName = "X-MailGateway-Queue";

    /// <summary>A line longer than this is not an envelope we wrote (100 recipients take about 30 KB).</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    private static readonly byte[] Prefix = "X-MailGateway-Queue: "u8.ToArray();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes the envelope line; returns its length, which is where the message starts.</summary>
    public static int Write(Stream destination, QueueEntry entry)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(entry, Json);
        destination.Write(Prefix);
        destination.Write(json);
        destination.Write("\r\n"u8);
        return Prefix.Length + json.Length + 2;
    }

    /// <summary>
    /// Reads the first line of <paramref name="source"/> (positioned at the start of a queue file). A file that does
    /// not start with the field name has no envelope (<see cref="QueueEnvelopeKind.None"/>: the previous version's
    /// layout, the message from byte 0); one that does but whose JSON is not an entry with <paramref name="expectedId"/>
    /// is <see cref="QueueEnvelopeKind.Invalid"/>.
    /// </summary>
    public static QueueEnvelopeRead Read(Stream source, string expectedId)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var length = 0;
            var searched = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = source.Read(buffer, length, buffer.Length - length);
                length += read;
                var compared = Math.Min(length, Prefix.Length);
                if (!buffer.AsSpan(0, compared).SequenceEqual(Prefix.AsSpan(0, compared))
                    || (read == 0 && length < Prefix.Length))
                {
                    return new QueueEnvelopeRead(QueueEnvelopeKind.None, null, 0);
                }

                var crlf = buffer.AsSpan(searched, length - searched).IndexOf("\r\n"u8);
                if (crlf >= 0)
                {
                    var end = searched + crlf;
                    var entry = end >= Prefix.Length ? Parse(buffer.AsSpan(Prefix.Length, end - Prefix.Length), expectedId) : null;
                    return entry is null
                        ? new QueueEnvelopeRead(QueueEnvelopeKind.Invalid, null, 0)
                        : new QueueEnvelopeRead(QueueEnvelopeKind.Valid, entry, end + 2);
                }

                // A CR at the end may be followed by the LF in the next read.
                searched = Math.Max(0, length - 1);
                if (read == 0 || length >= MaxLineBytes)
                {
                    return new QueueEnvelopeRead(QueueEnvelopeKind.Invalid, null, 0);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static QueueEntry? Parse(ReadOnlySpan<byte> json, string expectedId)
    {
        try
        {
            var entry = JsonSerializer.Deserialize<QueueEntry>(json, Json);
            return entry is not null && entry.Id == expectedId && entry.Hops is not null ? entry : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
