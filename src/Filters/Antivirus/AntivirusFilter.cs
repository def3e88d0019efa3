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
        var decodedScans = 0;
        if (verdict is CleanVerdict && options.ScanDecodedParts
                                    && await context.GetMimeMessageAsync(cancellationToken) is { } parsed)
        {
            // clamd's MIME parser and MimeKit's disagree on broken MIME; scanning what MimeKit decodes too means a
            // payload cannot hide in the difference.
            foreach (var part in DecodedParts.Of(parsed).Take(options.MaxDecodedParts))
            {
                await using var decoded = part.Content!.Open();
                var partVerdict = await scanner.ScanAsync(decoded, context.Id, cancellationToken);
                decodedScans++;
                if (partVerdict is not CleanVerdict)
                {
                    verdict = partVerdict;
                    break;
                }
            }
        }

        switch (verdict)
        {
            case InfectedVerdict infected:
                context.AddHeader(AntivirusHeaders.VirusFound, infected.Signature);
                context.Decision = options.OnInfected == AntivirusInfectedAction.Archive
                    ? new VirusArchiveDecision(infected.Signature)
                    : new RefuseDecision(554, "5.7.1", $"message rejected: virus found ({infected.Signature})");
                return FilterStepResult.Stop(decodedScans > 0 ? "infected-decoded" : "infected");

            case FailedVerdict failed when options.OnError == AntivirusErrorAction.TempFail:
                context.Decision = new RefuseDecision(451, "4.7.1",
                    $"virus scan unavailable ({failed.ReasonText}), try again later");
                return FilterStepResult.Stop("failed-" + failed.Reason.ToString().ToLowerInvariant());

            default:
                context.AddHeader(AntivirusHeaders.VirusScanned, verdict.VirusScannedHeaderValue);
                return FilterStepResult.Continue((verdict is CleanVerdict ? "clean" : "skipped") + (decodedScans > 0 ? $"+{decodedScans}parts" : ""));
        }
    }
}
