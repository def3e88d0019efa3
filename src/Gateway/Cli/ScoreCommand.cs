using System.Globalization;
using MailGateway.Scl.Model.Scoring;
using MailGateway.Scl.Model.Training;

namespace MailGateway.Gateway.Cli;

/// <summary>
/// <c>mailgw score</c>: one line per message file (every file under a folder): <c>path, SCL, probability, trace</c>.
/// No SMTP, no clamd. Files are scored on all cores; output keeps the order of the arguments.
/// </summary>
public sealed class ScoreCommand : ICliCommand
{
    public string Name => "score";

    public string Usage => "score [--format tsv|text] [--model FILE] PATH...";

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

        var scorer = new SclScorer(SclCliSupport.LoadModel(arguments.Get("model")));
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
                    await using var stream = File.OpenRead(path);
                    var score = await scorer.ScoreAsync(stream, ct);
                    lines[i] = Format(format, path, score);
                }
                catch (IOException ex)
                {
                    Interlocked.Increment(ref failed);
                    lines[i] = format == "tsv" ? $"{path}\t\t\tunreadable: {ex.Message}" : $"{path}: unreadable: {ex.Message}";
                }
                catch (UnauthorizedAccessException ex)
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

    private static string Format(string format, string path, SclScore score)
    {
        var trace = string.Join("; ", score.TraceNotes).Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
        return format == "tsv"
            ? string.Create(CultureInfo.InvariantCulture, $"{path}\t{score.Scl}\t{score.Probability:0.000000}\t{trace}")
            : string.Create(CultureInfo.InvariantCulture, $"{path}: SCL {score.Scl} (p={score.Probability:0.0000}) {trace}");
    }
}
