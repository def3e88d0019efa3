namespace MailGateway.Filters.Spf;

/// <summary>The processing limits of RFC 7208 section 4.6.4.</summary>
public static class SpfLimits
{
    /// <summary>include, a, mx, ptr, exists and redirect together; one more is a permerror.</summary>
    public const int DnsMechanisms = 10;

    /// <summary>Lookups answered with NXDOMAIN or no records; a third is a permerror.</summary>
    public const int VoidLookups = 2;

    /// <summary>MX names looked at for one mx mechanism, and PTR names for one ptr mechanism or %{p}.</summary>
    public const int NamesPerMechanism = 10;
}
