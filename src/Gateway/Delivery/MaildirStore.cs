using System.Collections.Concurrent;
using MailGateway.Gateway.Messages;
using MailGateway.Gateway.Smtp;
using Microsoft.Extensions.Logging;

namespace MailGateway.Gateway.Delivery;

/// <summary>
/// Durable Maildir delivery: the message is written once into tmp/ and made durable, hard-linked into every
/// recipient's new/, and the links are made durable (<see cref="DurableStorage"/>, as <c>Storage:Sync</c> says). Only
/// then does <see cref="DeliverAsync"/> return, so a 250 sent after it can survive a crash; a file is never linked into
/// new/ before its content is durable. If any link fails, the links already made are removed, so a retried message is
/// not doubled.
/// </summary>
public sealed class MaildirStore(StorageLayout layout, DurableStorage durable, ILogger<MaildirStore> logger)
{
    private static readonly string HostPart = Environment.MachineName.Replace("/", "\\057").Replace(":", "\\072");
    private readonly ConcurrentDictionary<string, bool> _knownMaildirs = new();

    /// <summary>Delivers to each distinct recipient's <paramref name="folder"/>; returns the file name used.</summary>
    public async Task<string> DeliverAsync(MessageContent content, IReadOnlyList<MailPath> recipients,
        MaildirFolder folder, CancellationToken cancellationToken)
    {
        var maildirs = recipients.Select(r => r.MailboxKey).Distinct(StringComparer.Ordinal)
            .Select(key => EnsureMaildir(layout.Maildir(key, folder))).ToList();
        var header = content.HeaderBytes();
        var size = content.Body.Length + header.Length;
        var name = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{content.Id}.{HostPart},S={size}";
        var tmpPath = Path.Combine(maildirs[0], "tmp", name);
        var linked = new List<string>(maildirs.Count);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Written on this thread: async file writes on Linux are thread-pool work items, so the async path costs
            // hops without freeing anything.
            using (var file = new FileStream(tmpPath, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                       bufferSize: 0, FileOptions.None))
            {
                content.WriteTo(file, header);
                await durable.ContentWrittenAsync(file, cancellationToken);
            }

            foreach (var maildir in maildirs)
            {
                var target = Path.Combine(maildir, "new", name);
                DurableIo.HardLink(tmpPath, target);
                linked.Add(target);
            }

            await durable.NamesChangedAsync(maildirs.Select(m => Path.Combine(m, "new")));
        }
        catch
        {
            foreach (var path in linked)
            {
                TryDelete(path);
            }

            throw;
        }
        finally
        {
            TryDelete(tmpPath);
        }

        logger.LogDebug("Stored {MessageId} as {FileName} in {Folder} for {RecipientCount} mailboxes",
            content.Id, name, folder, maildirs.Count);
        return name;
    }

    private string EnsureMaildir(string maildir)
    {
        if (_knownMaildirs.ContainsKey(maildir))
        {
            return maildir;
        }

        var created = !Directory.Exists(Path.Combine(maildir, "new"));
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, sub));
        }

        if (created)
        {
            // Make the new folders themselves durable, up to the mail root.
            for (var dir = maildir; dir.Length >= layout.MailRoot.Length; dir = Path.GetDirectoryName(dir)!)
            {
                DurableIo.FsyncDirectory(dir);
            }
        }

        _knownMaildirs[maildir] = true;
        return maildir;
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Could not remove {Path}; it is cleaned up at the next start", path);
        }
    }
}
