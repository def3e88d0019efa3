using System.Buffers;
using MailGateway.Filters.Chain;

namespace MailGateway.Filters.Antivirus;

/// <summary>
/// The antivirus stage of the chain: streams the message to clamd and turns the verdict into a decision (554 or
/// the virus archive for a virus, 451 when clamd cannot answer) or an <c>X-Virus-Scanned</c> header.
/// </summary>
public sealed class AntivirusFilter(AntivirusScanner scanner) : IMessageFilter
{
    public string Name => "Antivirus";

    public FilterKind Kind => FilterKind.Security;

    public async Task<FilterStepResult> RunAsync(MessageContext context, CancellationToken cancellationToken)
    {
        if (!scanner.IsEnabled)
        {
            return FilterStepResult.Continue("disabled");
        }

        ScanVerdict verdict;
        await using (var content = context.OpenContent())
        {
            verdict = await scanner.ScanAsync(content, context.Id, cancellationToken);
        }

        var options = scanner.Options;
        var stage = "";
        var decodedScans = 0;
        var scannedHashes = new List<byte[]>();
        if (verdict is CleanVerdict && options.ScanDecodedParts
                                    && await context.GetMimeMessageAsync(cancellationToken) is { } parsed)
        {
            // clamd's MIME parser and MimeKit's disagree on broken MIME; scanning what MimeKit decodes too means a
            // payload cannot hide in the difference.
            foreach (var part in DecodedParts.Of(parsed).Take(options.MaxDecodedParts))
            {
                await using var decoded = new HashingReadStream(part.Content!.Open());
                var partVerdict = await scanner.ScanAsync(decoded, context.Id, cancellationToken);
                scannedHashes.Add(decoded.GetHash());
                decodedScans++;
                if (partVerdict is not CleanVerdict)
                {
                    verdict = partVerdict;
                    stage = "-decoded";
                    break;
                }
            }
        }

        if (verdict is CleanVerdict && options.RejectUnscannable
                                    && await context.GetMimeMessageAsync(cancellationToken) is { } message
                                    && UnscannableContent.Find(message) is { } unscannable)
        {
            context.Decision = new RefuseDecision(554, "5.7.1", $"message rejected: content cannot be scanned ({unscannable})");
            return FilterStepResult.Stop("unscannable");
        }

        var tolerantParts = 0;
        if (verdict is CleanVerdict && options.ScanTolerantParts)
        {
            // MimeKit is one more parser a crafted message can fool; the tolerant pass decodes what any client might.
            var parts = await ExtractTolerantPartsAsync(context, options, scannedHashes, cancellationToken);
            tolerantParts = parts.Count;
            if (parts.Count > 0)
            {
                await using var bundle = ScanBundle.Create(parts);
                verdict = await scanner.ScanAsync(bundle, context.Id, cancellationToken);
                stage = verdict is CleanVerdict ? stage : "-tolerant";
            }
        }

        switch (verdict)
        {
            case InfectedVerdict infected:
                context.AddHeader(AntivirusHeaders.VirusFound, infected.Signature);
                context.Decision = options.OnInfected == AntivirusInfectedAction.Archive
                    ? new VirusArchiveDecision(infected.Signature)
                    : new RefuseDecision(554, "5.7.1", $"message rejected: virus found ({infected.Signature})");
                return FilterStepResult.Stop("infected" + stage);

            case FailedVerdict failed when options.OnError == AntivirusErrorAction.TempFail:
                context.Decision = new RefuseDecision(451, "4.7.1",
                    $"virus scan unavailable ({failed.ReasonText}), try again later");
                return FilterStepResult.Stop("failed-" + failed.Reason.ToString().ToLowerInvariant() + stage);

            default:
                context.AddHeader(AntivirusHeaders.VirusScanned, verdict.VirusScannedHeaderValue);
                return FilterStepResult.Continue((verdict is CleanVerdict ? "clean" : "skipped")
                    + (decodedScans > 0 ? $"+{decodedScans}parts" : "")
                    + (tolerantParts > 0 ? $"+{tolerantParts}tolerant" : ""));
        }
    }

    /// <summary>Reads at most Antivirus:TolerantScanBytes of the message and decodes what the extractor finds there.</summary>
    private static async Task<IReadOnlyList<TolerantPart>> ExtractTolerantPartsAsync(
        MessageContext context, AntivirusOptions options, List<byte[]> alreadyScanned, CancellationToken cancellationToken)
    {
        var length = (int)Math.Min(context.Size, options.TolerantScanBytes);
        if (length <= 0)
        {
            return [];
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int read;
            await using (var content = context.OpenContent())
            {
                read = await content.ReadAtLeastAsync(buffer.AsMemory(0, length), length, throwOnEndOfStream: false,
                    cancellationToken);
            }

            var extractor = new TolerantPartExtractor(
                new TolerantExtractionLimits(options.MaxTolerantParts, options.MaxTolerantDecodedBytes));
            return extractor.Extract(buffer.AsMemory(0, read), alreadyScanned);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
