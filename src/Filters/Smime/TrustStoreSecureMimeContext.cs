using MimeKit.Cryptography;
using Org.BouncyCastle.Pkix;
using Org.BouncyCastle.Utilities.Collections;
using Org.BouncyCastle.X509;

namespace MailGateway.Filters.Smime;

/// <summary>
/// MimeKit's in-memory S/MIME context (BouncyCastle), whose trust anchors are exactly the trust store's certificates.
/// MimeKit's own rule (self-signed with keyCertSign, among every certificate it was handed) would let a certificate
/// that came with a message become an anchor; a new context per message keeps what one message brings from the next.
/// </summary>
public sealed class TrustStoreSecureMimeContext : TemporarySecureMimeContext
{
    private readonly ISet<TrustAnchor> _anchors;
    private readonly IStore<X509Certificate> _intermediates;

    public TrustStoreSecureMimeContext(SmimeTrustStore trustStore)
    {
        ArgumentNullException.ThrowIfNull(trustStore);
        _anchors = trustStore.Certificates.Select(c => new TrustAnchor(c, null)).ToHashSet();
        _intermediates = CollectionUtilities.CreateStore(trustStore.Certificates.ToList());
    }

    protected override ISet<TrustAnchor> GetTrustedAnchors() => _anchors;

    protected override IStore<X509Certificate> GetIntermediateCertificates() => _intermediates;
}
