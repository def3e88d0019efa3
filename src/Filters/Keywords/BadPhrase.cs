namespace MailGateway.Filters.Keywords;

/// <summary>A bad phrase from the file.</summary>
/// <param name="Phrase">The phrase as written.</param>
/// <param name="SclAdd">
/// 0: the phrase forces SCL 9 (Exchange's bad word). 1 to 9: it adds that much to the SCL the other filters give
/// (<c>{"phrase": "…", "scl": "+3"}</c>), as a rule's score does in rspamd's multimap or SpamAssassin.
/// </param>
public sealed record BadPhrase(string Phrase, int SclAdd);
