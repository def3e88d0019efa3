using System.Security.Cryptography;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace MailGateway.Filters.ConfigFiles;

/// <summary>
/// Holds the parsed content of one watched file and replaces it when the file changes. Editors write in bursts (truncate,
/// write, rename), so changes are debounced; a new version that fails to parse never replaces the last good one, and a
/// deleted file keeps it too. Callers log through the callbacks so each component names its own counts. It is the one
/// mechanism for every file the running gateway re-reads: keywords, allow-list, SCL thresholds.
/// </summary>
/// <typeparam name="T">The immutable parsed content.</typeparam>
public sealed class ReloadingFile<T> : IDisposable
    where T : class
{
    private readonly string _path;
    private readonly Func<byte[], T> _parse;
    private readonly TimeSpan _debounce;
    private readonly Action<T, T> _reloaded;
    private readonly Action<T, Exception> _failed;
    private readonly Action<T> _missing;
    private readonly PhysicalFileProvider _provider;
    private readonly IDisposable _watch;
    private readonly ITimer _timer;
    private readonly Lock _reloadLock = new();
    private T _current;
    private byte[] _currentHash;
    private bool _disposed;

    private ReloadingFile(
        string path,
        Func<byte[], T> parse,
        T initial,
        byte[] initialHash,
        ReloadingFileSettings settings,
        Action<T, T> reloaded,
        Action<T, Exception> failed,
        Action<T> missing)
    {
        _path = path;
        _parse = parse;
        _reloaded = reloaded;
        _failed = failed;
        _missing = missing;
        _debounce = settings.Debounce;
        _current = initial;
        _currentHash = initialHash;
        _timer = settings.TimeProvider.CreateTimer(_ => Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        // The provider watches the directory, so an editor's write-to-temp-and-rename is seen as a change of the file.
        _provider = new PhysicalFileProvider(System.IO.Path.GetDirectoryName(path)!)
        {
            UsePollingFileWatcher = settings.UsePolling,
            UseActivePolling = settings.UsePolling,
        };
        var fileName = System.IO.Path.GetFileName(path);
        _watch = ChangeToken.OnChange(() => _provider.Watch(fileName), ScheduleReload);
    }

    /// <summary>The last good content.</summary>
    public T Current => Volatile.Read(ref _current);

    /// <summary>
    /// Reads and parses <paramref name="path"/> now (<paramref name="parse"/> throws <see cref="InvalidDataException"/>
    /// for content it refuses) and starts watching it. A missing file gives
    /// <paramref name="empty"/> (reported through <paramref name="missing"/>) and is loaded once it appears; a file that
    /// does not parse throws <see cref="ConfigFileException"/>, since there is no last good content to keep.
    /// </summary>
    public static ReloadingFile<T> Open(
        string path,
        Func<byte[], T> parse,
        T empty,
        ReloadingFileSettings settings,
        Action<T, T> reloaded,
        Action<T, Exception> failed,
        Action<T> missing)
    {
        var directory = System.IO.Path.GetDirectoryName(path);
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
        {
            throw new ConfigFileException(path, $"the directory {directory} does not exist.");
        }

        var initial = empty;
        var hash = Array.Empty<byte>();
        var bytes = TryRead(path);
        if (bytes is null)
        {
            missing(empty);
        }
        else
        {
            try
            {
                initial = parse(bytes);
            }
            catch (InvalidDataException exception)
            {
                throw new ConfigFileException(path, exception.Message, exception);
            }

            hash = SHA256.HashData(bytes);
        }

        return new ReloadingFile<T>(path, parse, initial, hash, settings, reloaded, failed, missing);
    }

    /// <summary>Stops watching; <see cref="Current"/> stays readable.</summary>
    public void Dispose()
    {
        lock (_reloadLock)
        {
            _disposed = true;
        }

        _watch.Dispose();
        _timer.Dispose();
        _provider.Dispose();
    }

    private static byte[]? TryRead(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private void ScheduleReload() => _timer.Change(_debounce, Timeout.InfiniteTimeSpan);

    private void Reload()
    {
        lock (_reloadLock)
        {
            if (_disposed)
            {
                return;
            }

            var old = _current;
            byte[]? bytes;
            try
            {
                bytes = TryRead(_path);
            }
            catch (IOException exception)
            {
                // Still being written by someone holding it open: the writer's last change triggers another reload,
                // but try once more in case that event came before this read.
                _failed(old, new ConfigFileException(_path, exception.Message, exception));
                ScheduleReload();
                return;
            }
            catch (UnauthorizedAccessException exception)
            {
                _failed(old, new ConfigFileException(_path, exception.Message, exception));
                return;
            }

            if (bytes is null)
            {
                _missing(old);
                return;
            }

            var hash = SHA256.HashData(bytes);
            if (hash.AsSpan().SequenceEqual(_currentHash))
            {
                return;
            }

            T next;
            try
            {
                next = _parse(bytes);
            }
            catch (InvalidDataException exception)
            {
                _failed(old, new ConfigFileException(_path, exception.Message, exception));
                return;
            }

            _currentHash = hash;
            Volatile.Write(ref _current, next);
            _reloaded(old, next);
        }
    }
}
