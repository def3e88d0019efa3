using System.Net;

namespace MailGateway.Filters.AllowList;

/// <summary>
/// The allow- and block-lists of <c>allowlist.json</c>, ready to evaluate. Block wins over allow: a message matching
/// both is blocked. Immutable and thread-safe; a reload builds a new one.
/// </summary>
public sealed class AllowListPolicy
{
    private readonly AllowListRuleSet _allow;
    private readonly AllowListRuleSet _block;

    internal AllowListPolicy(AllowListRuleSet allow, AllowListRuleSet block)
    {
        _allow = allow;
        _block = block;
    }

    /// <summary>A policy with no rules: every message is <see cref="AllowListVerdict.None"/>.</summary>
    public static AllowListPolicy Empty { get; } = new(new AllowListRuleSet(), new AllowListRuleSet());

    /// <summary>Rules on the allow-list (distinct entries).</summary>
    public int AllowCount => _allow.Count;

    /// <summary>Rules on the block-list (distinct entries).</summary>
    public int BlockCount => _block.Count;

    /// <summary>
    /// Checks the block-list, then the allow-list, each against the envelope sender, the From header's address and the
    /// client address, in that order. Call it at RCPT with <paramref name="headerFrom"/> null (envelope and client),
    /// and again at the end of DATA with the From header.
    /// </summary>
    /// <param name="envelopeSender">MAIL FROM's address; null, empty or <c>&lt;&gt;</c> is the null sender, matched only by a <c>&lt;&gt;</c> rule.</param>
    /// <param name="headerFrom">The From header's address (or <c>Name &lt;address&gt;</c>); null when not known yet.</param>
    /// <param name="clientAddress">The connecting client; IPv4-mapped IPv6 (<c>::ffff:192.0.2.1</c>) counts as IPv4. Null for a local submission.</param>
    /// <param name="isAuthenticated">
    /// When given, an allow rule on a sender or domain matches only if this says the address's domain is
    /// authenticated (an aligned SPF or DKIM pass); block rules and network rules never ask.
    /// </param>
    public AllowListDecision Evaluate(string? envelopeSender, string? headerFrom, IPAddress? clientAddress,
        Func<string?, bool>? isAuthenticated = null)
    {
        if (_allow.Count == 0 && _block.Count == 0)
        {
            return AllowListDecision.None;
        }

        var envelope = SenderAddress.FromEnvelope(envelopeSender);
        var header = SenderAddress.FromHeader(headerFrom);
        var client = clientAddress is { IsIPv4MappedToIPv6: true } ? clientAddress.MapToIPv4() : clientAddress;
        return Match(_block, envelope, header, client, null) ?? Match(_allow, envelope, header, client, isAuthenticated)
            ?? AllowListDecision.None;
    }

    private static AllowListDecision? Match(AllowListRuleSet rules, SenderAddress envelope, SenderAddress? header, IPAddress? client,
        Func<string?, bool>? isAuthenticated)
    {
        if (rules.Count == 0)
        {
            return null;
        }

        if (rules.MatchSender(envelope) is { } byEnvelope && (isAuthenticated is null || isAuthenticated(envelope.Domain)))
        {
            return new AllowListDecision(byEnvelope.Verdict, byEnvelope, AllowListInput.EnvelopeSender);
        }

        if (header is { } from && rules.MatchSender(from) is { } byHeader
            && (isAuthenticated is null || isAuthenticated(from.Domain)))
        {
            return new AllowListDecision(byHeader.Verdict, byHeader, AllowListInput.HeaderFrom);
        }

        if (client is not null && rules.MatchAddress(client) is { } byAddress)
        {
            return new AllowListDecision(byAddress.Verdict, byAddress, AllowListInput.ClientAddress);
        }

        return null;
    }
}
