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
    private Task<string>? _text;
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

    /// <summary>Bulk Complaint Level 0..9 (how much the message was sent as bulk mail), once the bulk stage ran.</summary>
    public int? Bcl { get; private set; }

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

    /// <summary>
    /// Set by <see cref="CheckMimeLimitsAsync"/> when the message has more MIME parts or nesting than allowed (e.g.
    /// <c>over-mime-limits(parts&gt;10000)</c>): such a message is never handed to MimeKit.
    /// </summary>
    public string? MimeLimitsExceeded { get; private set; }

    /// <summary>
    /// Counts the message's MIME parts and depth in a streaming pass (<see cref="MimeStructureScanner"/>), before anything
    /// parses it; over a limit, <see cref="MimeLimitsExceeded"/> says which and <see cref="GetMimeMessageAsync"/> returns
    /// null from then on. Returns <see cref="MimeLimitsExceeded"/>.
    /// </summary>
    public async Task<string?> CheckMimeLimitsAsync(MimeLimitsOptions limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        await using var content = OpenContent();
        var scan = await MimeStructureScanner.ScanAsync(content, limits.MaxParts, limits.MaxDepth, cancellationToken);
        if (scan.Exceeded)
        {
            MimeLimitsExceeded = scan.Parts > limits.MaxParts
                ? $"over-mime-limits(parts>{limits.MaxParts})"
                : $"over-mime-limits(depth>{limits.MaxDepth})";
            AddNote(MimeLimitsExceeded);
        }

        return MimeLimitsExceeded;
    }

    /// <summary>The parsed message, or null when MimeKit cannot make anything of it (a note says why).</summary>
    public Task<MimeMessage?> GetMimeMessageAsync(CancellationToken cancellationToken) =>
        _parsed ??= ParseAsync(cancellationToken);

    /// <summary>The message as a filter already had it parsed, or null when none asked (this parses nothing).</summary>
    public MimeMessage? ParsedMessage => _parsed is { IsCompletedSuccessfully: true } parsed ? parsed.Result : null;

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

    /// <summary>What <see cref="AddSclAtEnd"/> has asked to add once every filter has run.</summary>
    public int PendingSclAddition { get; private set; }

    /// <summary>
    /// Adds <paramref name="addition"/> to the SCL the chain ends with (an additive keyword runs before the model, whose
    /// SCL would otherwise replace it); the chain applies it once, through <see cref="ApplyPendingSclAddition"/>.
    /// </summary>
    public void AddSclAtEnd(int addition) => PendingSclAddition += addition;

    /// <summary>
    /// Applies <see cref="PendingSclAddition"/> to the SCL (an SCL no filter set counts as 0), unless the SCL was forced
    /// or the message is trusted; returns whether the SCL changed.
    /// </summary>
    public bool ApplyPendingSclAddition()
    {
        var addition = PendingSclAddition;
        PendingSclAddition = 0;
        if (addition == 0 || IsSclForced || IsTrusted)
        {
            return false;
        }

        var before = Scl;
        Scl = Math.Clamp((Scl ?? 0) + addition, 0, 9);
        return Scl != before;
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

    /// <summary>Body text read by the text filters (bounded work per message).</summary>
    public const int MaxTextChars = 256 * 1024;

    /// <summary>
    /// The body text a mail client shows (every text part that is not an attachment, HTML alternatives included),
    /// extracted once by the model's extractor (<see cref="VisibleText"/>) with the text filters' cap; "" when the
    /// message could not be parsed.
    /// </summary>
    public Task<string> GetVisibleTextAsync(CancellationToken cancellationToken) =>
        _text ??= ExtractTextAsync(cancellationToken);

    /// <summary>Sets the Bulk Complaint Level, clamped to 0..9.</summary>
    public void SetBcl(int bcl) => Bcl = Math.Clamp(bcl, 0, 9);

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

        if (MimeLimitsExceeded is not null)
        {
            // Not parsed on purpose: the extractor's own fallback would parse it.
            return new MessageFeatures { ParseFailed = true, Notes = [MimeLimitsExceeded] };
        }

        // MimeKit could not parse it: the extractor still measures what evidence there is from the raw bytes.
        await using var stream = OpenContent();
        return (await FeatureExtractor.ExtractAsync(stream, cancellationToken)).Features;
    }

    private async Task<string> ExtractTextAsync(CancellationToken cancellationToken)
    {
        var message = await GetMimeMessageAsync(cancellationToken);
        return message is null ? "" : VisibleText.Of(message, MaxTextChars);
    }

    private async Task<MimeMessage?> ParseAsync(CancellationToken cancellationToken)
    {
        if (MimeLimitsExceeded is not null)
        {
            return null;
        }

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
