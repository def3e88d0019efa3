using Org.BouncyCastle.X509;

namespace MailGateway.Filters.Smime;

/// <summary>The trust anchors for S/MIME signers: every certificate in the PEM files of one folder, read once at start.</summary>
public sealed class SmimeTrustStore
{
    private SmimeTrustStore(string path, IReadOnlyList<X509Certificate> certificates, int unreadableFiles)
    {
        Path = path;
        Certificates = certificates;
        UnreadableFiles = unreadableFiles;
    }

    public string Path { get; }

    public IReadOnlyList<X509Certificate> Certificates { get; }

    /// <summary>Files in the folder that held no certificate BouncyCastle could read.</summary>
    public int UnreadableFiles { get; }

    /// <summary>Reads every file of <paramref name="folder"/> (symbolic links followed); a missing folder is an empty store.</summary>
    public static SmimeTrustStore Load(string folder)
    {
        var certificates = new List<X509Certificate>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unreadable = 0;
        if (!Directory.Exists(folder))
        {
            return new SmimeTrustStore(folder, certificates, 0);
        }

        var parser = new X509CertificateParser();
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            try
            {
                using var stream = File.OpenRead(file);
                var read = parser.ReadCertificates(stream);
                if (read.Count == 0)
                {
                    unreadable++;
                }

                // Debian's folder links each certificate under two names: each is kept once.
                certificates.AddRange(read.Where(c => seen.Add(Convert.ToHexString(c.GetEncoded()))));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException
                                           or Org.BouncyCastle.Security.Certificates.CertificateException
                                           or ArgumentException or InvalidCastException)
            {
                unreadable++;
            }
        }

        return new SmimeTrustStore(folder, certificates, unreadable);
    }
}
