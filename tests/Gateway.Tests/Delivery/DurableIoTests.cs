using MailGateway.Gateway.Delivery;

namespace MailGateway.Gateway.Tests.Delivery;

/// <summary>The POSIX calls behind durable storage, on real paths.</summary>
public sealed class DurableIoTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mailgw-durable-" + Guid.NewGuid().ToString("N")[..12]);

    public DurableIoTests() => Directory.CreateDirectory(Path.Combine(_root, "mail", "new"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_directory_and_its_subdirectory_are_on_one_file_system_and_proc_is_on_another()
    {
        var root = DurableIo.DeviceOf(_root);

        Assert.Equal(root, DurableIo.DeviceOf(Path.Combine(_root, "mail", "new")));
        Assert.NotEqual(root, DurableIo.DeviceOf("/proc"));
    }

    [Fact]
    public void A_missing_path_is_an_io_error_naming_it()
    {
        var missing = Path.Combine(_root, "absent");

        var error = Assert.Throws<IOException>(() => DurableIo.DeviceOf(missing));

        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public async Task Syncs_of_directories_on_two_file_systems_both_complete_and_a_missing_directory_fails()
    {
        var sync = new FileSystemSync();
        var timeout = TimeSpan.FromSeconds(30);

        await Task.WhenAll(sync.SyncAsync(Path.Combine(_root, "mail", "new")), sync.SyncAsync("/proc")).WaitAsync(timeout);

        Assert.Throws<IOException>(() => { _ = sync.SyncAsync(Path.Combine(_root, "absent")); });
    }
}
