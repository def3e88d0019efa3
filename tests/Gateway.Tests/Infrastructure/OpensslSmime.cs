namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>
/// A throwaway S/MIME PKI made with the openssl CLI in a temporary folder: a CA (keyCertSign) and a signer it issued
/// for alice@sender.test; messages signed (<c>openssl smime -sign</c>) or encrypted with them, and
/// <c>openssl smime -verify</c> of a stored copy against the CA. Disposing removes the folder.
/// </summary>
public sealed class OpensslSmime : IAsyncDisposable
{
    public const string Signer = "alice@sender.test";

    private OpensslSmime(string folder)
    {
        Folder = folder;
        TrustStore = Path.Combine(folder, "trust");
        Directory.CreateDirectory(TrustStore);
    }

    public string Folder { get; }

    /// <summary>A folder holding only the CA's PEM: the gateway's Smime:TrustStore.</summary>
    public string TrustStore { get; }

    public string CaPath => Path.Combine(Folder, "ca.pem");

    public static async Task<OpensslSmime> CreateAsync()
    {
        var pki = new OpensslSmime(Directory.CreateTempSubdirectory("mailgw-openssl-").FullName);
        await pki.RunAsync("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", pki.File("ca.key"), "-out", pki.CaPath,
            "-days", "2", "-subj", "/CN=MailGateway Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        await System.IO.File.WriteAllTextAsync(pki.File("leaf.cnf"),
            $"subjectAltName=email:{Signer}\nkeyUsage=critical,digitalSignature,keyEncipherment\n" +
            "extendedKeyUsage=emailProtection\nbasicConstraints=CA:FALSE\n");
        await pki.RunAsync("req", "-newkey", "rsa:2048", "-nodes", "-keyout", pki.File("alice.key"), "-out", pki.File("alice.csr"),
            "-subj", $"/CN=Alice/emailAddress={Signer}");
        await pki.RunAsync("x509", "-req", "-in", pki.File("alice.csr"), "-CA", pki.CaPath, "-CAkey", pki.File("ca.key"),
            "-CAcreateserial", "-out", pki.File("alice.pem"), "-days", "2", "-extfile", pki.File("leaf.cnf"));
        System.IO.File.Copy(pki.CaPath, Path.Combine(pki.TrustStore, "test-ca.pem"));
        return pki;
    }

    /// <summary>
    /// <c>openssl smime -sign</c> of a text/plain entity with <paramref name="body"/> (lines joined with CRLF): the file
    /// openssl writes, as it writes it (LF between the MIME parts, the signed content in CRLF).
    /// </summary>
    public async Task<byte[]> SignAsync(string subject, string body, bool binary = false, bool opaque = false)
    {
        var name = Guid.NewGuid().ToString("N");
        var content = File($"{name}.txt");
        var lineEnd = binary ? "\n" : "\r\n";
        await System.IO.File.WriteAllTextAsync(content, $"Content-Type: text/plain; charset=us-ascii{lineEnd}{lineEnd}{body.ReplaceLineEndings(lineEnd)}{lineEnd}");
        List<string> args = ["smime", "-sign", "-in", content, "-signer", File("alice.pem"), "-inkey", File("alice.key"),
            "-from", Signer, "-to", "bob@example.org", "-subject", subject, "-out", File($"{name}.eml")];
        if (binary)
        {
            args.Add("-binary");
        }

        if (opaque)
        {
            args.Add("-nodetach");
        }

        await RunAsync([.. args]);
        return await System.IO.File.ReadAllBytesAsync(File($"{name}.eml"));
    }

    /// <summary><c>openssl smime -encrypt</c> (AES-256) of a text/plain entity for Alice's certificate.</summary>
    public async Task<byte[]> EncryptAsync(string subject, string body)
    {
        var name = Guid.NewGuid().ToString("N");
        await System.IO.File.WriteAllTextAsync(File($"{name}.txt"), $"Content-Type: text/plain\r\n\r\n{body}\r\n");
        await RunAsync("smime", "-encrypt", "-aes256", "-in", File($"{name}.txt"), "-from", Signer, "-to", "bob@example.org",
            "-subject", subject, "-out", File($"{name}.eml"), File("alice.pem"));
        return await System.IO.File.ReadAllBytesAsync(File($"{name}.eml"));
    }

    /// <summary><c>openssl smime -verify</c> of a stored or relayed file against the CA: exit code and output.</summary>
    public Task<(int ExitCode, string Output)> VerifyAsync(string path, bool binary = false) =>
        ExternalTool.RunAsync("openssl", ["smime", "-verify", "-in", path, "-CAfile", CaPath, "-out", "/dev/null", .. (binary ? new[] { "-binary" } : [])]);

    private string File(string name) => Path.Combine(Folder, name);

    private async Task RunAsync(params string[] args)
    {
        var (code, output) = await ExternalTool.RunAsync("openssl", args);
        if (code != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed ({code}):\n{output}");
        }
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
