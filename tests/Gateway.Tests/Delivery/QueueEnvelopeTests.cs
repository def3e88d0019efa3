using System.Text;
using MailGateway.Gateway.Delivery.Relay;

namespace MailGateway.Gateway.Tests.Delivery;

public class QueueEnvelopeTests
{
    private static QueueEntry Entry(int recipients = 2) => new()
    {
        Id = "0190f3a2b7c84d2e9a1b2c3d4e5f6a7b",
        From = "s\u00e9nder@sender.test",
        ReceivedAt = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero),
        Hops =
        [
            new QueueHop
            {
                NextHop = "10.0.0.5:25",
                Recipients = Enumerable.Range(0, recipients).Select(i => $"r{i}@example.org").ToList(),
                NextAttemptAt = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero),
            },
            new QueueHop { NextHop = "", Recipients = ["\u7528\u6237@\u4f8b\u5b50.\u6d4b\u8bd5"], Attempts = 3, LastError = "451 4.3.0 \"busy\"\r\nnext line" },
        ],
    };

    private static readonly byte[] Message = Encoding.UTF8.GetBytes(
        "X-MailGateway-SCL: 0\r\nSubject: caf\u00e9\r\n\r\n.dot\r\nX-MailGateway-Queue: not the envelope\r\n");

    [Fact]
    public void The_envelope_line_reads_back_as_the_entry_and_the_message_starts_right_after_it()
    {
        using var file = new MemoryStream();
        var lineLength = QueueEnvelope.Write(file, Entry());
        file.Write(Message);
        file.Position = 0;

        var read = QueueEnvelope.Read(file, Entry().Id);

        Assert.Equal(QueueEnvelopeKind.Valid, read.Kind);
        Assert.Equal(lineLength, read.MessageOffset);
        Assert.Equal(Message, file.ToArray()[(int)read.MessageOffset..]);
        var line = file.ToArray()[..lineLength];
        Assert.StartsWith("X-MailGateway-Queue: {", Encoding.ASCII.GetString(line));
        Assert.All(line, b => Assert.InRange(b, (byte)0, (byte)127));
        Assert.Equal(lineLength - 2, Array.IndexOf(line, (byte)'\r'));
        Assert.Equal(lineLength - 1, Array.IndexOf(line, (byte)'\n'));

        var entry = read.Entry!;
        var expected = Entry();
        Assert.Equal(expected.Id, entry.Id);
        Assert.Equal(expected.From, entry.From);
        Assert.Equal(expected.ReceivedAt, entry.ReceivedAt);
        Assert.Equal(2, entry.Hops.Count);
        Assert.Equal(expected.Hops[0].NextHop, entry.Hops[0].NextHop);
        Assert.Equal(expected.Hops[0].Recipients, entry.Hops[0].Recipients);
        Assert.Equal(expected.Hops[0].NextAttemptAt, entry.Hops[0].NextAttemptAt);
        Assert.Equal(expected.Hops[1].Recipients, entry.Hops[1].Recipients);
        Assert.Equal(3, entry.Hops[1].Attempts);
        Assert.Equal(expected.Hops[1].LastError, entry.Hops[1].LastError);
    }

    [Fact]
    public void A_long_envelope_line_read_one_byte_at_a_time_still_ends_at_its_crlf()
    {
        using var file = new MemoryStream();
        var lineLength = QueueEnvelope.Write(file, Entry(recipients: 500));
        file.Write(Message);
        file.Position = 0;

        var read = QueueEnvelope.Read(new OneByteAtATime(file), Entry().Id);

        Assert.True(lineLength > 8192, $"line of {lineLength} bytes");
        Assert.Equal(QueueEnvelopeKind.Valid, read.Kind);
        Assert.Equal(lineLength, read.MessageOffset);
        Assert.Equal(500, read.Entry!.Hops[0].Recipients.Count);
    }

    [Fact]
    public void A_file_without_the_envelope_field_has_none_and_its_message_starts_at_byte_0()
    {
        var read = QueueEnvelope.Read(new MemoryStream(Message), Entry().Id);
        Assert.Equal(QueueEnvelopeKind.None, read.Kind);
        Assert.Null(read.Entry);
        Assert.Equal(0, read.MessageOffset);

        Assert.Equal(QueueEnvelopeKind.None, QueueEnvelope.Read(new MemoryStream(), Entry().Id).Kind);
        Assert.Equal(QueueEnvelopeKind.None, QueueEnvelope.Read(new MemoryStream("X-Mail"u8.ToArray()), Entry().Id).Kind);
    }

    [Theory]
    [InlineData("X-MailGateway-Queue: {\"id\":\"0190f3a2b7c84d2e9a1b2c3d4e5f6a7b\",\"from\":\"a@b\",\"hops\":[]")]
    [InlineData("X-MailGateway-Queue: {\"id\":\"0190f3a2b7c84d2e9a1b2c3d4e5f6a7b\",\"from\":\r\n\"a@b\",\"hops\":[]}\r\n")]
    [InlineData("X-MailGateway-Queue: {\"id\":\"another\",\"from\":\"a@b\",\"hops\":[]}\r\n")]
    [InlineData("X-MailGateway-Queue: not json\r\n")]
    [InlineData("X-MailGateway-Queue: \r\n")]
    public void A_cut_short_unparsable_or_foreign_envelope_line_is_invalid(string text)
    {
        var read = QueueEnvelope.Read(new MemoryStream(Encoding.ASCII.GetBytes(text + "Subject: x\r\n\r\nbody\r\n")),
            Entry().Id);
        Assert.Equal(QueueEnvelopeKind.Invalid, read.Kind);
        Assert.Null(read.Entry);
    }

    [Fact]
    public void An_envelope_line_without_its_crlf_is_invalid()
    {
        var read = QueueEnvelope.Read(new MemoryStream("X-MailGateway-Queue: {\"id\":\"0190f3a2\""u8.ToArray()), Entry().Id);
        Assert.Equal(QueueEnvelopeKind.Invalid, read.Kind);
    }

    /// <summary>A stream that never returns more than one byte per read, as a slow file system may.</summary>
    private sealed class OneByteAtATime(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(1, count));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
