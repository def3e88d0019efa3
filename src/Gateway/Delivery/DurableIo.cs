using System.ComponentModel;
using System.Runtime.InteropServices;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// The POSIX calls .NET does not expose: fsync of a directory (so a rename or link survives a crash) and hard links
/// (one fsynced file, many mailboxes).
/// </summary>
public static partial class DurableIo
{
    private const int ORdonly = 0;
    private const int ODirectory = 0x10000;

    public const int EEXIST = 17;

    public static void FsyncDirectory(string path) => OnDirectory(path, Fsync, "fsync directory");

    /// <summary>
    /// <c>syncfs</c> of the file system that holds <paramref name="path"/>: every change made on it before the call is
    /// durable when it returns (Linux reports write-back errors of the file system here since 5.8).
    /// </summary>
    public static void SyncFileSystem(string path) => OnDirectory(path, SyncFs, "syncfs");

    /// <summary>
    /// The device number (<c>st_dev</c>) of <paramref name="path"/>: paths with the same one are on the same file
    /// system, so one <c>syncfs</c> covers them. st_dev is the first field of <c>struct stat</c> on x86-64 and arm64.
    /// </summary>
    public static ulong DeviceOf(string path)
    {
        Span<byte> stat = stackalloc byte[256];
        if (Stat(path, ref MemoryMarshal.GetReference(stat)) != 0)
        {
            throw IoError($"stat {path}");
        }

        return BitConverter.ToUInt64(stat[..8]);
    }

    private static void OnDirectory(string path, Func<int, int> call, string what)
    {
        var fd = Open(path, ORdonly | ODirectory);
        if (fd < 0)
        {
            throw IoError($"open directory {path}");
        }

        try
        {
            if (call(fd) != 0)
            {
                throw IoError($"{what} {path}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Creates <paramref name="linkPath"/> as a second name of <paramref name="existingPath"/>.</summary>
    public static void HardLink(string existingPath, string linkPath)
    {
        if (Link(existingPath, linkPath) != 0)
        {
            throw IoError($"link {existingPath} -> {linkPath}");
        }
    }

    private static IOException IoError(string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{what}: {new Win32Exception(errno).Message}", errno);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, ref byte statBuffer);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);
}
