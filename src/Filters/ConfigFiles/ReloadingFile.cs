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
    private readonly string path;
    private readonly Func<byte[], T> parse;
    private readonly TimeSpan debounce;
    private readonly Action<T, T> reloaded;
    private readonly Action<T, Exception> failed;
    private readonly Action<T> missing;
    private readonly PhysicalFileProvider provider;
    private readonly IDisposable watch;
    private readonly ITimer timer;
    private readonly Lock reloadLock = new();
    private T current;
    private byte[] currentHash;
    private bool disposed;

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
        this.path = path;
        this.parse = parse;
        this.reloaded = reloaded;
        this.failed = failed;
        this.missing = missing;
        debounce = settings.Debounce;
        current = initial;
        currentHash = initialHash;
        timer = settings.TimeProvider.CreateTimer(_ => Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        // The provider watches the directory, so an editor's write-to-temp-and-rename is seen as a change of the file.
        provider = new PhysicalFileProvider(System.IO.Path.GetDirectoryName(path)!)
        {
            UsePollingFileWatcher = settings.UsePolling,
            UseActivePolling = settings.UsePolling,
        };
        var fileName = System.IO.Path.GetFileName(path);
        watch = ChangeToken.OnChange(() => provider.Watch(fileName), ScheduleReload);
    }

    /// <summary>The last good content.</summary>
    public T Current => Volatile.Read(ref current);

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
        lock (reloadLock)
        {
            disposed = true;
        }

        watch.Dispose();
        timer.Dispose();
        provider.Dispose();
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

    private void ScheduleReload() => timer.Change(debounce, Timeout.InfiniteTimeSpan);

    private void Reload()
    {
        lock (reloadLock)
        {
            if (disposed)
            {
                return;
            }

            var old = current;
            byte[]? bytes;
            try
            {
                bytes = TryRead(path);
            }
            catch (IOException exception)
            {
                // Still being written by someone holding it open: the writer's last change triggers another reload,
                // but try once more in case that event came before this read.
                failed(old, new ConfigFileException(path, exception.Message, exception));
                ScheduleReload();
                return;
            }
            catch (UnauthorizedAccessException exception)
            {
                failed(old, new ConfigFileException(path, exception.Message, exception));
                return;
            }

            if (bytes is null)
            {
                missing(old);
                return;
            }

            var hash = SHA256.HashData(bytes);
            if (hash.AsSpan().SequenceEqual(currentHash))
            {
                return;
            }

            T next;
            try
            {
                next = parse(bytes);
            }
            catch (InvalidDataException exception)
            {
                failed(old, new ConfigFileException(path, exception.Message, exception));
                return;
            }

            currentHash = hash;
            Volatile.Write(ref current, next);
            reloaded(old, next);
        }
    }
}
