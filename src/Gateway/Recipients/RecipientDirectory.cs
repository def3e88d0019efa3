using System.Text;
using MailGateway.Gateway.Configuration;
using MailGateway.Gateway.Messages;
using MailGateway.Gateway.Smtp;

namespace MailGateway.Gateway.Recipients;

/// <summary>
/// The parsed recipient list: addresses (<c>bob@example.org</c>) and whole domains (<c>@example.net</c>), compared
/// in the canonical form every address has; <c>#</c> starts a comment.
/// </summary>
public sealed class RecipientDirectory
{
    private readonly HashSet<string> _addresses;
    private readonly HashSet<string> _domains;

    private RecipientDirectory(HashSet<string> addresses, HashSet<string> domains)
    {
        _addresses = addresses;
        _domains = domains;
    }

    public static RecipientDirectory Empty { get; } = new([], []);

    public int Count => _addresses.Count + _domains.Count;

    public bool Knows(MailPath recipient) =>
        _addresses.Contains(recipient.MailboxKey) || _domains.Contains(recipient.Domain.ToLowerInvariant());

    /// <summary>Parses the file; a line that is no address or domain throws <see cref="InvalidDataException"/> naming it.</summary>
    public static RecipientDirectory Parse(byte[] content)
    {
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        var domains = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in Encoding.UTF8.GetString(content).Split('\n'))
        {
            lineNumber++;
            var hash = raw.IndexOf('#');
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('@') && DomainName.IsValid(line[1..]))
            {
                domains.Add(DomainName.Normalize(line[1..]));
            }
            else if (MailPath.TryParse(line, "", allowBarePostmaster: false, out _) is { } path)
            {
                addresses.Add(path.MailboxKey);
            }
            else
            {
                throw new InvalidDataException($"line {lineNumber}: '{line}' is neither an address nor @domain");
            }
        }

        return new RecipientDirectory(addresses, domains);
    }
}
