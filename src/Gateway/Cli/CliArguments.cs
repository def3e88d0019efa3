namespace MailGateway.Gateway.Cli;

/// <summary>
/// The arguments after the verb: <c>--name value</c> options, bare <c>--flag</c> switches and positionals.
/// Options not listed as flags take the next argument as their value; a repeated option keeps every value.
/// </summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _flags = new(StringComparer.OrdinalIgnoreCase);

    public CliArguments(IReadOnlyList<string> raw, IReadOnlyCollection<string>? flagNames = null)
    {
        Raw = raw;
        var flags = flagNames ?? Array.Empty<string>();
        var positionals = new List<string>();
        for (var i = 0; i < raw.Count; i++)
        {
            var arg = raw[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                positionals.Add(arg);
                continue;
            }

            var name = arg[2..];
            var eq = name.IndexOf('=');
            if (eq > 0)
            {
                Add(name[..eq], name[(eq + 1)..]);
            }
            else if (flags.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                _flags.Add(name);
            }
            else if (i + 1 < raw.Count)
            {
                Add(name, raw[++i]);
            }
            else
            {
                throw new CliUsageException($"option --{name} needs a value");
            }
        }

        Positionals = positionals;
    }

    /// <summary>Everything after the verb, untouched (the host's own configuration reads it too).</summary>
    public IReadOnlyList<string> Raw { get; }

    public IReadOnlyList<string> Positionals { get; }

    public bool HasFlag(string name) => _flags.Contains(name);

    public string? Get(string name) => _options.TryGetValue(name, out var v) ? v[^1] : null;

    public IReadOnlyList<string> GetAll(string name) =>
        _options.TryGetValue(name, out var v) ? v : Array.Empty<string>();

    public string Require(string name) => Get(name) ?? throw new CliUsageException($"option --{name} is required");

    public int? GetInt(string name)
    {
        var text = Get(name);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, out var value)
            ? value
            : throw new CliUsageException($"option --{name} must be a whole number, not '{text}'");
    }

    private void Add(string name, string value)
    {
        if (!_options.TryGetValue(name, out var list))
        {
            _options[name] = list = new List<string>();
        }

        list.Add(value);
    }
}
