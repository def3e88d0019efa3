using MailGateway.Filters.Chain;
using MailGateway.Gateway.Tests.Infrastructure;
using MimeKit;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>
/// The MIME limits' pre-scan against MimeKit on the hostile MIME of ../shared/mime-edge: a count below what MimeKit
/// builds would let a message past the limits.
/// </summary>
public class MimeStructureCorpusTests
{
    [SkippableFact]
    public async Task On_every_mime_edge_message_the_pre_scan_counts_at_least_the_entities_mimekit_builds()
    {
        SharedData.SkipUnlessPresent(SharedData.MimeEdge);
        var below = new List<string>();
        var files = Directory.GetFiles(SharedData.MimeEdge, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".json", StringComparison.Ordinal) && !f.EndsWith(".md", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            var scanner = new MimeStructureScanner(int.MaxValue / 16, int.MaxValue);
            scanner.Feed(bytes);
            scanner.Complete();
            int entities;
            try
            {
                using var message = MimeMessage.Load(new MemoryStream(bytes));
                entities = 1 + Entities(message.Body);
            }
            catch (FormatException)
            {
                continue; // MimeKit builds nothing from it
            }

            if (scanner.Parts < entities)
            {
                below.Add($"{Path.GetRelativePath(SharedData.MimeEdge, file)}: counted {scanner.Parts}, MimeKit {entities}");
            }
        }

        Assert.True(files.Count > 100, $"only {files.Count} files under {SharedData.MimeEdge}");
        Assert.True(below.Count == 0, $"{below.Count} of {files.Count} counted below MimeKit:\n" + string.Join('\n', below.Take(20)));
    }

    private static int Entities(MimeEntity? entity) => entity switch
    {
        Multipart multipart => multipart.Sum(child => 1 + Entities(child)),
        MessagePart { Message: { } inner } => 1 + Entities(inner.Body),
        _ => 0,
    };
}
