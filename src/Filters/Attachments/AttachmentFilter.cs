using System.Text;
using MailGateway.Filters.Chain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Attachments;

/// <summary>
/// The attachment policy stage (Exchange's Attachment Filtering agent): a blocked file name or real type, in a part
/// or one level down in an archive, refuses the message (554 5.7.1) or archives it; a password-protected archive and
/// an archive that cannot be read within bounds have actions of their own. A security stage: it runs for trusted
/// senders too, and an error in it refuses with 451 (<c>Filters:OnError:Attachments</c> may say otherwise).
/// </summary>
public sealed partial class AttachmentFilter(
    IOptions<AttachmentOptions> options,
    AttachmentMetrics metrics,
    ILogger<AttachmentFilter> logger) : IMessageFilter
{
    private readonly AttachmentScanner _scanner = new(options.Value);

    public string Name => "Attachments";

    public FilterKind Kind => FilterKind.Security;

    public async Task<FilterStepResult> RunAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return FilterStepResult.Continue("off");
        }

        var message = await context.GetMimeMessageAsync(cancellationToken);
        if (message is null)
        {
            // Over the MIME limits the chain archives or refuses it anyway; unparsable, clamd's scan still applies.
            return FilterStepResult.Continue(context.MimeLimitsExceeded is null ? "unparsable" : "skipped-mime-limits");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds));
        AttachmentScan scan;
        try
        {
            scan = await _scanner.ScanAsync(message, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            scan = new AttachmentScan(new AttachmentFinding(AttachmentFindingKind.Unscannable, "message",
                $"time>{o.TimeoutSeconds}s"), 0, 0, 0);
        }

        metrics.Checked(scan);
        if (scan.Finding is not { } finding)
        {
            return FilterStepResult.Continue(scan.Archives > 0 ? $"clean({scan.Parts}parts,{scan.ArchiveEntries}entries)" : $"clean({scan.Parts}parts)");
        }

        var action = finding.Kind switch
        {
            AttachmentFindingKind.Blocked => o.Action,
            AttachmentFindingKind.EncryptedArchive => o.OnEncryptedArchive,
            _ => o.OnUnscannable,
        };
        metrics.Verdict(finding.Kind, action);
        var file = Printable(finding.FileName);
        var word = finding.Kind switch
        {
            AttachmentFindingKind.Blocked => "blocked",
            AttachmentFindingKind.EncryptedArchive => "encrypted",
            _ => "unscannable",
        };
        LogVerdict(context.Id, word, file, finding.Reason, action);
        var outcome = $"{word}({Traceable(file)}:{finding.Reason})";
        switch (action)
        {
            case AttachmentAction.Reject:
                context.Decision = new RefuseDecision(554, "5.7.1", finding.Kind switch
                {
                    AttachmentFindingKind.Blocked => $"message rejected: attachment not allowed ({file}: {finding.Reason})",
                    AttachmentFindingKind.EncryptedArchive => $"message rejected: password-protected archive cannot be scanned ({file})",
                    _ => $"message rejected: attachment cannot be scanned ({file}: {finding.Reason})",
                });
                return FilterStepResult.Stop(outcome + "-rejected");
            case AttachmentAction.Archive:
                context.Decision = new ArchiveDecision($"attachment {word}: {file} ({finding.Reason})");
                return FilterStepResult.Stop(outcome + "-archived");
            default:
                context.AddHeader(AttachmentHeaders.Unscanned, $"{file} ({finding.Reason})");
                return FilterStepResult.Continue(outcome + "-delivered");
        }
    }

    /// <summary>A file name fit for an SMTP reply and a header: printable ASCII, at most 80 characters.</summary>
    private static string Printable(string name)
    {
        var text = new StringBuilder(Math.Min(name.Length, 80));
        foreach (var c in name.Take(80))
        {
            text.Append(c is >= ' ' and < (char)127 ? c : '?');
        }

        return text.ToString();
    }

    /// <summary>The trace is split on blanks.</summary>
    private static string Traceable(string name) => name.Replace(' ', '_');

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Attachment policy: message {MessageId} {AttachmentVerdict} {AttachmentFile} ({AttachmentReason}): {AttachmentAction}")]
    private partial void LogVerdict(string messageId, string attachmentVerdict, string attachmentFile, string attachmentReason,
        AttachmentAction attachmentAction);
}
