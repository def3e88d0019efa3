using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Chain;

/// <summary>
/// Runs the configured filters in order over one message. A filter that throws is logged, traced and counted; then
/// <c>Filters:OnError</c> decides: the message goes on without that filter (the default for spam filters) or is refused
/// with 451 4.7.1 (the default for a security filter: without the antivirus verdict it is never delivered). Spam
/// filters are skipped for trusted messages, sender-authentication filters for mail from the relay networks. An SCL
/// addition asked for by a filter (an additive keyword) is applied once all filters have run.
/// </summary>
public sealed partial class FilterChain
{
    public static readonly RefuseDecision SecurityFilterFailed =
        new(451, "4.7.1", "Content scan failed, try again later");

    private readonly IReadOnlyList<IMessageFilter> _filters;
    private readonly FilterOptions _options;
    private readonly ILogger<FilterChain> _logger;
    private readonly FilterMetrics? _metrics;

    public FilterChain(IEnumerable<IMessageFilter> available, IOptions<FilterOptions> options, ILogger<FilterChain> logger,
        FilterMetrics? metrics = null)
    {
        _logger = logger;
        _metrics = metrics;
        _options = options.Value;
        var byName = available.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        // Filters named in the order but not registered (e.g. a component that is switched off) are left out.
        _filters = options.Value.EffectiveOrder.Where(byName.ContainsKey).Select(n => byName[n]).ToList();
    }

    public IReadOnlyList<IMessageFilter> Filters => _filters;

    public async Task RunAsync(MessageContext context, CancellationToken cancellationToken)
    {
        if (_filters.Count > 0 && await CheckMimeLimitsAsync(context, cancellationToken))
        {
            return;
        }

        await RunFiltersAsync(context, cancellationToken);
        if (context.MimeLimitsExceeded is not null && context.Decision is null)
        {
            context.Decision = new ArchiveDecision(context.MimeLimitsExceeded);
            return;
        }

        if (context.Decision is null && context.PendingSclAddition != 0)
        {
            var before = context.Scl;
            var addition = context.PendingSclAddition;
            // A forced or trusted SCL stays as it is; otherwise the addition applies (capped at 9).
            var outcome = context.IsSclForced || context.IsTrusted ? $"+{addition}-ignored" : $"+{addition}";
            context.ApplyPendingSclAddition();
            context.AddTrace(new TraceEntry("SclAddition", outcome, before, context.Scl, 0));
        }
    }

    /// <summary>
    /// Counts MIME parts and depth before any filter parses the message; over a limit, refuses (554 5.6.0, and returns
    /// true: nothing else runs) or lets only the non-spam filters run before the message is archived.
    /// </summary>
    private async Task<bool> CheckMimeLimitsAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var limits = _options.MimeLimits;
        var watch = Stopwatch.StartNew();
        var exceeded = await context.CheckMimeLimitsAsync(limits, cancellationToken);
        if (exceeded is null)
        {
            return false;
        }

        context.AddTrace(new TraceEntry("MimeLimits", exceeded, context.Scl, context.Scl,
            (long)watch.Elapsed.TotalMicroseconds));
        LogOverMimeLimits(context.Id, exceeded, limits.Action);
        if (limits.Action != MimeLimitsAction.Reject)
        {
            return false;
        }

        context.Decision = new RefuseDecision(554, "5.6.0",
            $"message refused: more MIME parts or nesting than accepted (at most {limits.MaxParts} parts, depth {limits.MaxDepth})");
        return true;
    }

    private async Task RunFiltersAsync(MessageContext context, CancellationToken cancellationToken)
    {
        foreach (var filter in _filters)
        {
            var before = context.Scl;
            if (filter.Kind == FilterKind.SenderAuthentication && context.Envelope.FromInternalClient)
            {
                // Our own mail: there is no outside sender to check.
                context.AddTrace(new TraceEntry(filter.Name, "skipped-internal", before, before, 0));
                continue;
            }

            if (filter.Kind == FilterKind.Spam && context.IsTrusted)
            {
                context.AddTrace(new TraceEntry(filter.Name, "skipped-trusted", before, before, 0));
                continue;
            }

            if (filter.Kind == FilterKind.Spam && context.MimeLimitsExceeded is not null)
            {
                // Archived whatever they say, and they would need the parse this message is kept from.
                context.AddTrace(new TraceEntry(filter.Name, "skipped-mime-limits", before, before, 0));
                continue;
            }

            var watch = Stopwatch.StartNew();
            FilterStepResult result;
            try
            {
                result = await filter.RunAsync(context, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var micros = (long)watch.Elapsed.TotalMicroseconds;
                LogFilterFailed(ex, context.Id, filter.Name);
                _metrics?.Error(filter.Name);
                _metrics?.Record(filter.Name, watch.Elapsed.TotalMilliseconds);
                context.AddTrace(new TraceEntry(filter.Name, "error", before, context.Scl, micros));
                if (_options.ErrorActionFor(filter.Name, filter.Kind) == FilterErrorAction.TempFail)
                {
                    context.Decision = SecurityFilterFailed;
                    return;
                }

                continue;
            }

            context.AddTrace(new TraceEntry(filter.Name, result.Outcome, before, context.Scl,
                (long)watch.Elapsed.TotalMicroseconds));
            _metrics?.Record(filter.Name, watch.Elapsed.TotalMilliseconds);
            if (result.StopChain || context.Decision is not null)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} is {MimeLimits}: {Action}")]
    private partial void LogOverMimeLimits(string messageId, string mimeLimits, MimeLimitsAction action);

    [LoggerMessage(Level = LogLevel.Error, Message = "Filter {Filter} failed on message {MessageId}")]
    private partial void LogFilterFailed(Exception ex, string messageId, string filter);
}
