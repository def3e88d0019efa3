using System.Buffers;

namespace MailGateway.Gateway.Spool;

/// <summary>
/// Holds one message while it arrives and is filtered: in pooled memory chunks up to a threshold, then in an
/// unlinked-on-dispose file under the spool folder, so a 50 MB message costs a file, not 50 MB of memory. It is not
/// durable: nothing is acknowledged until a store has written and fsynced its own copy.
/// Written once (through <see cref="Stream.Write(ReadOnlySpan{byte})"/>), then read any number of times.
/// </summary>
public sealed class SpoolBuffer : Stream
{
    private const int ChunkSize = 16 * 1024;

    private readonly long _memoryLimit;
    private readonly string _spoolDirectory;
    private readonly List<byte[]> _chunks = new();
    private FileStream? _file;
    private string? _filePath;
    private long _length;
    private bool _disposed;

    public SpoolBuffer(long memoryLimit, string spoolDirectory)
    {
        _memoryLimit = memoryLimit;
        _spoolDirectory = spoolDirectory;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_disposed;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Set when the spool file could not be written (a full disk above all). The rest of the message is then counted
    /// but not kept, so the session can read DATA to its end and refuse the message with a temporary error.
    /// </summary>
    public IOException? WriteError { get; private set; }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (WriteError is not null)
        {
            _length += buffer.Length;
            return;
        }

        try
        {
            if (_file is null && _length + buffer.Length > _memoryLimit)
            {
                SpillToFile();
            }

            if (_file is not null)
            {
                _file.Write(buffer);
                _length += buffer.Length;
                return;
            }
        }
        catch (IOException ex)
        {
            Fail(ex);
            _length += buffer.Length;
            return;
        }

        while (!buffer.IsEmpty)
        {
            var offset = (int)(_length % ChunkSize);
            if (offset == 0 && _length / ChunkSize == _chunks.Count)
            {
                _chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkSize));
            }

            var chunk = _chunks[(int)(_length / ChunkSize)];
            var n = Math.Min(ChunkSize - offset, buffer.Length);
            buffer[..n].CopyTo(chunk.AsSpan(offset));
            buffer = buffer[n..];
            _length += n;
        }
    }

    /// <summary>The whole message is in: pushes what the file still buffers to the disk, so a full disk shows here.</summary>
    public void Complete()
    {
        try
        {
            _file?.Flush();
        }
        catch (IOException ex)
        {
            Fail(ex);
        }
    }

    private void Fail(IOException error)
    {
        WriteError = error;
        ReturnChunks();
        try
        {
            _file?.Dispose();
        }
        catch (IOException)
        {
            // Disposing flushes again and fails the same way; the file is deleted on close either way.
        }

        _file = null;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush() => _file?.Flush();

    /// <summary>A new independent reader over everything written so far.</summary>
    public Stream OpenRead()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_file is not null)
        {
            _file.Flush();
            return new FileStream(_filePath!, FileMode.Open, FileAccess.Read,
                FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.SequentialScan);
        }

        return new ChunkReadStream(_chunks, ChunkSize, _length);
    }

    public override void CopyTo(Stream destination, int bufferSize)
    {
        if (_file is null)
        {
            var remaining = _length;
            foreach (var chunk in _chunks)
            {
                var n = (int)Math.Min(ChunkSize, remaining);
                destination.Write(chunk, 0, n);
                remaining -= n;
            }

            return;
        }

        using var reader = OpenRead();
        reader.CopyTo(destination, 64 * 1024);
    }

    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        if (_file is null)
        {
            var remaining = _length;
            foreach (var chunk in _chunks)
            {
                var n = (int)Math.Min(ChunkSize, remaining);
                await destination.WriteAsync(chunk.AsMemory(0, n), cancellationToken);
                remaining -= n;
            }

            return;
        }

        await using var reader = OpenRead();
        await reader.CopyToAsync(destination, 64 * 1024, cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            ReturnChunks();
            _file?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void SpillToFile()
    {
        Directory.CreateDirectory(_spoolDirectory);
        _filePath = Path.Combine(_spoolDirectory, $"{Guid.NewGuid():N}.spool");
        _file = new FileStream(_filePath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete,
            64 * 1024, FileOptions.DeleteOnClose);
        var remaining = _length;
        foreach (var chunk in _chunks)
        {
            var n = (int)Math.Min(ChunkSize, remaining);
            _file.Write(chunk, 0, n);
            remaining -= n;
        }

        ReturnChunks();
    }

    private void ReturnChunks()
    {
        foreach (var chunk in _chunks)
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        _chunks.Clear();
    }
}
