namespace MailGateway.Gateway.Spool;

/// <summary>
/// The base of the streams a message is written through on its way to the spool (the cleanup stage, the BDAT
/// line-end normaliser): forward-only, write-only, passing on to <see cref="Sink"/>.
/// </summary>
public abstract class WriteOnlyStream(Stream sink) : Stream
{
    protected Stream Sink { get; } = sink;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override void Write(ReadOnlySpan<byte> buffer);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush() => Sink.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
