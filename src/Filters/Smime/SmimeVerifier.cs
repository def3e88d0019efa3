using MailGateway.Filters.Authentication;
using MimeKit;
using MimeKit.Cryptography;

namespace MailGateway.Filters.Smime;

/// <summary>
/// Reads a parsed message's S/MIME: the signature of its body (multipart/signed with a pkcs7-signature, or opaque
/// signed-data), verified with MimeKit over BouncyCastle against the trust store; and whether any part is encrypted
/// (enveloped or auth-enveloped data), which nothing here can read. Verification changes nothing in the message.
/// </summary>
public sealed class SmimeVerifier(SmimeTrustStore trustStore, int maxSignatures)
{
    public async Task<SmimeCheck> CheckAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var encrypted = false;
        using (var iterator = new MimeIterator(message))
        {
            while (!encrypted && iterator.MoveNext())
            {
                encrypted = iterator.Current is ApplicationPkcs7Mime
                {
                    SecureMimeType: SecureMimeType.EnvelopedData or SecureMimeType.AuthEnvelopedData,
                };
            }
        }

        var signature = message.Body switch
        {
            MultipartSigned signed when IsSmimeProtocol(signed) => await VerifyDetachedAsync(signed, cancellationToken),
            ApplicationPkcs7Mime { SecureMimeType: SecureMimeType.SignedData } opaque => VerifyOpaque(opaque, cancellationToken),
            _ => new SmimeResult("none", null, "not signed"),
        };
        return new SmimeCheck(signature, encrypted);
    }

    private static bool IsSmimeProtocol(MultipartSigned signed) =>
        signed.ContentType.Parameters["protocol"] is { } protocol
        && (protocol.Equals("application/pkcs7-signature", StringComparison.OrdinalIgnoreCase)
            || protocol.Equals("application/x-pkcs7-signature", StringComparison.OrdinalIgnoreCase));

    private async Task<SmimeResult> VerifyDetachedAsync(MultipartSigned signed, CancellationToken cancellationToken)
    {
        using var context = new TrustStoreSecureMimeContext(trustStore);
        DigitalSignatureCollection signatures;
        try
        {
            signatures = await signed.VerifyAsync(context, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new SmimeResult("fail", null, $"malformed signature ({ex.GetType().Name})");
        }

        return Judge(signatures);
    }

    private SmimeResult VerifyOpaque(ApplicationPkcs7Mime opaque, CancellationToken cancellationToken)
    {
        using var context = new TrustStoreSecureMimeContext(trustStore);
        DigitalSignatureCollection signatures;
        try
        {
            signatures = opaque.Verify(context, out var entity, cancellationToken);
            entity?.Dispose();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new SmimeResult("fail", null, $"malformed signed-data ({ex.GetType().Name})");
        }

        return Judge(signatures);
    }

    /// <summary>Pass when every signature checked verifies and its signer chains to a trust anchor; else the first failure.</summary>
    private SmimeResult Judge(DigitalSignatureCollection signatures)
    {
        if (signatures.Count == 0)
        {
            return new SmimeResult("fail", null, "no signer");
        }

        SmimeResult? pass = null;
        foreach (var signature in signatures.Take(maxSignatures))
        {
            var signer = Signer(signature);
            try
            {
                if (!signature.Verify(verifySignatureOnly: true))
                {
                    return new SmimeResult("fail", signer, "signature does not verify");
                }
            }
            catch (DigitalSignatureVerifyException ex)
            {
                return new SmimeResult("fail", signer, $"signature does not verify ({ex.Message})");
            }

            if (signature is SecureMimeDigitalSignature { ChainException: { } chain })
            {
                return new SmimeResult("fail", signer, $"signer not trusted ({chain.Message})");
            }

            pass ??= new SmimeResult("pass", signer, "verified");
        }

        return pass!;
    }

    private static string? Signer(IDigitalSignature signature) =>
        signature.SignerCertificate is { } certificate
            ? !string.IsNullOrEmpty(certificate.Email) ? certificate.Email : certificate.Name
            : null;
}

/// <summary>A message's S/MIME: its signature's result, and whether any part is encrypted.</summary>
public sealed record SmimeCheck(SmimeResult Signature, bool Encrypted);
