using MailGateway.Scl.Model.Features;
using MimeKit;

namespace MailGateway.Filters.Chain;

/// <summary>
/// One message going through the chain: its envelope, a way to read its bytes as often as needed, the MimeKit
/// view parsed at most once, and what the filters have concluded so far (SCL, trust, headers, trace, decision).
/// </summary>
public sealed class MessageContext : IAsyncDisposable
{
    private readonly Func<Stream> _openContent;
    private readonly List<TraceEntry> _trace = new();
    private readonly List<string> _headers = new();
    private readonly List<string> _notes = new();
    private Task<MimeMessage?>? _parsed;
    private Stream? _parsedFrom;
    private Task<MessageText>? _text;
    private Task<MessageFeatures>? _features;

    public MessageContext(string id, MessageEnvelope envelope, Func<Stream> openContent, long size)
    {
        Id = id;
        Envelope = envelope;
        _openContent = openContent;
        Size = size;
    }

    public string Id { get; }

    public MessageEnvelope Envelope { get; }

    public long Size { get; }

    /// <summary>Spam Confidence Level: null until a filter sets it; -1 for trusted; 0..9 otherwise.</summary>
    public int? Scl { get; private set; }

    /// <summary>The model's spam probability, when the model ran.</summary>
    public double? SpamProbability { get; set; }

    /// <summary>Allow-listed: SCL -1, spam filters skipped, antivirus still runs.</summary>
    public bool IsTrusted { get; private set; }

    public FilterDecision? Decision { get; set; }

    /// <summary>SPF, DKIM, ARC and DMARC results, written by those stages, one Authentication-Results header in the end.</summary>
    public Authentication.AuthenticationResults Authentication { get; } = new();

    public IReadOnlyList<TraceEntry> Trace => _trace;

    /// <summary>Header lines (<c>Name: value</c>) to put on top of the stored message.</summary>
    public IReadOnlyList<string> AddedHeaders => _headers;

    /// <summary>Free-text notes (e.g. why the message could not be parsed) for the trace.</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>A new reader over the whole message as received (our Received header first).</summary>
    public Stream OpenContent() => _openContent();

    /// <summary>The parsed message, or null when MimeKit cannot make anything of it (a note says why).</summary>
    public Task<MimeMessage?> GetMimeMessageAsync(CancellationToken cancellationToken) =>
        _parsed ??= ParseAsync(cancellationToken);

    /// <summary>True once a filter forced the SCL (a custom keyword): later filters leave it alone.</summary>
    public bool IsSclForced { get; private set; }

    /// <summary>Sets the SCL unless an earlier filter forced it.</summary>
    public void SetScl(int scl)
    {
        if (!IsSclForced)
        {
            Scl = Math.Clamp(scl, -1, 9);
        }
    }

    /// <summary>Sets the SCL for good: later filters (the model, the image heuristic) do not change it.</summary>
    public void ForceScl(int scl)
    {
        Scl = Math.Clamp(scl, -1, 9);
        IsSclForced = true;
    }

    /// <summary>What the model measures (text, headers, URLs, attachments, images), extracted once per message.</summary>
    public Task<MessageFeatures> GetFeaturesAsync(CancellationToken cancellationToken) =>
        _features ??= ExtractFeaturesAsync(cancellationToken);

    /// <summary>Subject and decoded body text, extracted once for every filter that reads text.</summary>
    public Task<MessageText> GetTextAsync(CancellationToken cancellationToken) =>
        _text ??= ExtractTextAsync(cancellationToken);

    public void MarkTrusted()
    {
        IsTrusted = true;
        Scl = -1;
    }

    public void AddHeader(string name, string value) => _headers.Add($"{name}: {value}");

    public void AddNote(string note) => _notes.Add(note);

    public void AddTrace(TraceEntry entry) => _trace.Add(entry);

    private async Task<MessageFeatures> ExtractFeaturesAsync(CancellationToken cancellationToken)
    {
        if (await GetMimeMessageAsync(cancellationToken) is { } message)
        {
            return FeatureExtractor.Extract(message);
        }

        // MimeKit could not parse it: the extractor still measures what evidence there is from the raw bytes.
        await using var stream = OpenContent();
        return (await FeatureExtractor.ExtractAsync(stream, cancellationToken)).Features;
    }

    private async Task<MessageText> ExtractTextAsync(CancellationToken cancellationToken)
    {
        var message = await GetMimeMessageAsync(cancellationToken);
        return message is null ? MessageText.Empty : MessageText.Of(message);
    }

    private async Task<MimeMessage?> ParseAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Persistent parsing keeps part contents as ranges of the spool stream instead of copies, so a 50 MB
            // attachment is not loaded into memory; the stream stays open until the context is disposed.
            _parsedFrom = OpenContent();
            return await MimeMessage.LoadAsync(ParserOptions.Default, _parsedFrom, persistent: _parsedFrom.CanSeek,
                cancellationToken);
        }
        catch (Exception ex) when (ex is FormatException or ParseException or IOException)
        {
            AddNote($"unparsable: {ex.GetType().Name}");
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_parsed is { IsCompletedSuccessfully: true, Result: { } message })
        {
            message.Dispose();
        }

        if (_parsedFrom is not null)
        {
            await _parsedFrom.DisposeAsync();
        }
    }
}
