namespace MailGateway.Filters.Dkim;

/// <summary>Reads a DKIM-Signature's or ARC header's tag list (<c>v=1; a=rsa-sha256; d=example.com; …</c>).</summary>
public static class DkimTags
{
    public static Dictionary<string, string> Parse(string value)
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in value.Split(';'))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var name = part[..equals].Trim();
            tags.TryAdd(name, new string(part[(equals + 1)..].Where(c => !char.IsWhiteSpace(c)).ToArray()));
        }

        return tags;
    }
}
