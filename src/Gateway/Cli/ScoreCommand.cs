using System.Globalization;
using System.Net;
using MailGateway.Filters.Chain;
using MailGateway.Filters.Model;
using MailGateway.Gateway.Admin;
using MailGateway.Gateway.Routing;
using MailGateway.Scl.Model.Scoring;
using MailGateway.Scl.Model.Training;
using Microsoft.Extensions.DependencyInjection;

namespace MailGateway.Gateway.Cli;

/// <summary>
/// <c>mailgw score</c>: one line per message file (every file under a folder): <c>path, SCL, probability, trace,
/// disposition</c> (what the gateway would do with it under the thresholds in force),
/// through every content filter of the chain as configured (allow-list, keywords, model, image heuristic); antivirus
/// only with <c>--antivirus</c>. No SMTP. Files are scored on all cores; output keeps the order of the arguments.
/// With <c>--why</c>, also the model's reasons for its score (<see cref="SclReasonWords"/>): on a line of its own in
/// text, as a sixth column in TSV.
/// </summary>
public sealed class ScoreCommand : ICliCommand, IHasFlags
{
    public string Name => "score";

    public string Usage => "score [--format tsv|text] [--model FILE] [--antivirus] [--attachments] [--why] PATH...";

    public IReadOnlyCollection<string> Flags => ["antivirus", "attachments", "why"];

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var format = arguments.Get("format") ?? "text";
        if (format is not ("tsv" or "text"))
        {
            throw new CliUsageException("--format must be tsv or text");
        }

        if (arguments.Positionals.Count == 0)
        {
            throw new CliUsageException("give at least one message file or folder");
        }

        var overrides = new Dictionary<string, string?>();
        if (!arguments.HasFlag("antivirus"))
        {
            overrides["Antivirus:Enabled"] = "false";
        }

        // Like clamd's verdict, the attachment policy's refusal would end the chain before the SCL: asked for only.
        if (!arguments.HasFlag("attachments"))
        {
            overrides["Attachments:Enabled"] = "false";
        }

        if (arguments.Get("model") is { } model)
        {
            if (!File.Exists(model))
            {
                throw new CliUsageException($"model file not found: {model}");
            }

            overrides["Scl:ModelPath"] = model;
        }

        await using var services = CliServices.CreateWithFilters(arguments, overrides);
        var chain = services.GetRequiredService<FilterChain>();
        var router = services.GetRequiredService<DispositionRouter>();
        // Explaining costs about a score again: only when asked.
        var explainer = arguments.HasFlag("why") ? services.GetRequiredService<SclScorerHost>() : null;
        var files = arguments.Positionals.SelectMany(CorpusSplit.EnumerateMessages).ToList();
        var missing = arguments.Positionals.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
        foreach (var path in missing)
        {
            Console.Error.WriteLine($"mailgw score: no such file or folder: {path}");
        }

        // Score in batches on all cores, print each batch in order: bounded memory for any folder size.
        const int batch = 256;
        var lines = new string[batch];
        var failed = 0;
        for (var start = 0; start < files.Count; start += batch)
        {
            var count = Math.Min(batch, files.Count - start);
            await Parallel.ForAsync(0, count, cancellationToken, async (i, ct) =>
            {
                var path = files[start + i];
                try
                {
                    lines[i] = Format(format, path, await ScoreAsync(chain, router, explainer, path, ct), explainer is not null);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Interlocked.Increment(ref failed);
                    lines[i] = format == "tsv" ? $"{path}\t\t\tunreadable: {ex.Message}" : $"{path}: unreadable: {ex.Message}";
                }
            });
            for (var i = 0; i < count; i++)
            {
                Console.Out.WriteLine(lines[i]);
            }
        }

        return failed > 0 || missing.Count > 0 ? 1 : 0;
    }

    private static async Task<Score> ScoreAsync(FilterChain chain, DispositionRouter router, SclScorerHost? explainer,
        string path, CancellationToken cancellationToken)
    {
        var size = new FileInfo(path).Length;
        await using var context = new MessageContext(Path.GetFileName(path),
            new MessageEnvelope("score", IPAddress.None, "", "", []),
            () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024), size);
        await chain.RunAsync(context, cancellationToken);
        var trace = string.Join(' ', context.Trace.Select(t => t.ToString())
            .Concat(context.Notes.Select(n => "note=" + n.Replace(' ', '_')))
            .Concat(context.Decision is RefuseDecision r ? [$"decision={r.Code}_{r.Text.Replace(' ', '_')}"] : []));
        return new Score(context.Scl, context.SpamProbability, trace, router.Decide(context).Name,
            await WhyAsync(explainer, context, cancellationToken));
    }

    /// <summary>
    /// The model's reasons when asked for and the Model filter scored the message ("" otherwise), from the features
    /// the chain measured for it.
    /// </summary>
    private static async Task<string> WhyAsync(SclScorerHost? explainer, MessageContext context, CancellationToken cancellationToken)
    {
        if (explainer?.Scorer is not { } scorer || !context.Trace.Any(TraceWords.IsModelScore))
        {
            return "";
        }

        var features = await context.GetFeaturesAsync(cancellationToken);
        return scorer.Explain(features) is { } explanation ? SclReasonWords.Of(explanation) : "";
    }

    private static string Format(string format, string path, Score score, bool why)
    {
        var trace = score.Trace.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
        var scl = score.Scl?.ToString(CultureInfo.InvariantCulture) ?? "";
        var p = score.Probability?.ToString("0.000000", CultureInfo.InvariantCulture) ?? "";
        var line = format == "tsv"
            ? $"{path}\t{scl}\t{p}\t{trace}\t{score.Disposition}"
            : $"{path}: SCL {(scl.Length == 0 ? "-" : scl)} (p={(p.Length == 0 ? "-" : p)}) -> {score.Disposition} {trace}";
        if (!why)
        {
            return line;
        }

        return format == "tsv"
            ? $"{line}\t{score.Why.Replace('\t', ' ')}"
            : $"{line}\n  why: {(score.Why.Length == 0 ? "the model did not score it" : score.Why)}";
    }

    private sealed record Score(int? Scl, double? Probability, string Trace, string Disposition, string Why);
}
