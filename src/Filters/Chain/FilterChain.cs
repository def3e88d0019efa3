using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Chain;

/// <summary>
/// Runs the configured filters in order over one message. A filter that throws is logged and traced and the
/// message goes on with the others, except a security filter (antivirus): without its verdict the message is
/// refused with 451 4.7.1, never delivered. Spam filters are skipped for trusted messages.
/// </summary>
public sealed partial class FilterChain
{
    public static readonly RefuseDecision SecurityFilterFailed =
        new(451, "4.7.1", "Content scan failed, try again later");

    private readonly IReadOnlyList<IMessageFilter> _filters;
    private readonly ILogger<FilterChain> _logger;
    private readonly FilterMetrics? _metrics;

    public FilterChain(IEnumerable<IMessageFilter> available, IOptions<FilterOptions> options, ILogger<FilterChain> logger,
        FilterMetrics? metrics = null)
    {
        _logger = logger;
        _metrics = metrics;
        var byName = available.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        // Filters named in the order but not registered (e.g. a component that is switched off) are left out.
        _filters = options.Value.EffectiveOrder.Where(byName.ContainsKey).Select(n => byName[n]).ToList();
    }

    public IReadOnlyList<IMessageFilter> Filters => _filters;

    public async Task RunAsync(MessageContext context, CancellationToken cancellationToken)
    {
        foreach (var filter in _filters)
        {
            var before = context.Scl;
            if (filter.Kind == FilterKind.Spam && context.IsTrusted)
            {
                context.AddTrace(new TraceEntry(filter.Name, "skipped-trusted", before, before, 0));
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
                if (filter.Kind == FilterKind.Security)
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Filter {Filter} failed on message {MessageId}; going on without it")]
    private partial void LogFilterFailed(Exception ex, string messageId, string filter);
}
