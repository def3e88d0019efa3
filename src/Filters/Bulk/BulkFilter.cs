using MailGateway.Filters.Chain;

namespace MailGateway.Filters.Bulk;

/// <summary>
/// Bulk mail as its own signal, beside the SCL (Exchange Online's Bulk Complaint Level): the message's bulk-sending
/// evidence (<see cref="Scl.Model.Features.BulkEvidence"/>, measured once with the model's features) becomes a BCL
/// 0..9 in <see cref="MessageContext.Bcl"/>, the <c>X-MailGateway-BCL</c> header and the trace. The stage leaves
/// the SCL alone: routing decides (<c>Bulk:Threshold</c> in config/thresholds.json: bulk at or above it goes to the
/// junk folder, never further on bulk evidence alone).
/// </summary>
public sealed class BulkFilter : IMessageFilter
{
    public const string Header = "X-MailGateway-BCL";

    public string Name => "Bulk";

    public FilterKind Kind => FilterKind.Spam;

    public async Task<FilterStepResult> RunAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var bulk = (await context.GetFeaturesAsync(cancellationToken)).Bulk;
        var bcl = bulk.Bcl;
        context.SetBcl(bcl);
        context.AddHeader(Header, bcl.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var names = string.Join('+', bulk.Names());
        return FilterStepResult.Continue(names.Length == 0 ? $"bcl-{bcl}" : $"bcl-{bcl}:{names}");
    }
}
