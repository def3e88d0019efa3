namespace MailGateway.Filters.Attachments;

/// <summary>
/// The <c>Attachments</c> section: Exchange's Attachment Filtering agent as a stage. Blocked names (by extension) and
/// blocked real types (by magic bytes), looked for in every MIME part and in the entries of zip, 7z and rar
/// attachments one level down.
/// </summary>
public sealed class AttachmentOptions
{
    public const string Section = "Attachments";

    /// <summary>
    /// The extensions blocked when <c>Attachments:Block</c> is not set: Exchange Online's default list of blocked file
    /// types, with the disk images (.iso .img .vhd .vhdx) that carried malware once Office macros were blocked.
    /// </summary>
    public static readonly string[] DefaultBlock =
    [
        ".ade", ".adp", ".app", ".asp", ".aspx", ".asx", ".bas", ".bat", ".cer", ".chm", ".cmd", ".cnt", ".com", ".cpl",
        ".crt", ".csh", ".der", ".diagcab", ".exe", ".fxp", ".gadget", ".grp", ".hlp", ".hpj", ".hta", ".htc", ".img",
        ".inf", ".ins", ".iso", ".isp", ".its", ".jar", ".jnlp", ".js", ".jse", ".ksh", ".lnk", ".mad", ".maf", ".mag",
        ".mam", ".maq", ".mar", ".mas", ".mat", ".mau", ".mav", ".maw", ".mcf", ".mda", ".mdb", ".mde", ".mdt", ".mdw",
        ".mdz", ".msc", ".msh", ".msh1", ".msh1xml", ".msh2", ".msh2xml", ".mshxml", ".msi", ".msp", ".mst", ".msu",
        ".ops", ".osd", ".pcd", ".pif", ".pl", ".plg", ".prf", ".prg", ".printerexport", ".ps1", ".ps1xml", ".ps2",
        ".ps2xml", ".psc1", ".psc2", ".psd1", ".psdm1", ".pst", ".reg", ".scf", ".scr", ".sct", ".shb", ".shs", ".theme",
        ".tmp", ".url", ".vb", ".vbe", ".vbp", ".vbs", ".vhd", ".vhdx", ".vsmacros", ".vsw", ".webpnp", ".website", ".ws",
        ".wsb", ".wsc", ".wsf", ".wsh", ".xbap", ".xll", ".xnk",
    ];

    /// <summary>The real types blocked when <c>Attachments:BlockTypes</c> is not set: programs, scripts, shortcuts, disk images.</summary>
    public static readonly FileKind[] DefaultBlockTypes =
        [FileKind.PeExecutable, FileKind.Elf, FileKind.MachO, FileKind.ShellScript, FileKind.Lnk, FileKind.Iso];

    /// <summary>On by default, as Exchange's agent is.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Blocked extensions (".exe" or "exe", any case); empty means <see cref="DefaultBlock"/>.</summary>
    public List<string> Block { get; set; } = new();

    /// <summary>Blocked real types (<see cref="FileKind"/> names); empty means <see cref="DefaultBlockTypes"/>.</summary>
    public List<FileKind> BlockTypes { get; set; } = new();

    /// <summary>What a blocked name or type gets: <c>Reject</c> (554 5.7.1, the default) or <c>Archive</c>.</summary>
    public AttachmentAction Action { get; set; } = AttachmentAction.Reject;

    /// <summary>
    /// A password-protected archive (its entries cannot be read, so neither this stage nor clamd can look inside):
    /// <c>Reject</c> by default, or <c>Archive</c>, or <c>Deliver</c>. A blocked name inside it (zip shows names) is
    /// blocked all the same.
    /// </summary>
    public AttachmentAction OnEncryptedArchive { get; set; } = AttachmentAction.Reject;

    /// <summary>
    /// An archive that cannot be read to a verdict within the bounds below (corrupt, truncated, too many entries,
    /// expanding past <see cref="MaxExpandedBytes"/>, or out of time): <c>Archive</c> by default, so nothing is lost and
    /// nothing unread reaches a mailbox; or <c>Reject</c>, or <c>Deliver</c>.
    /// </summary>
    public AttachmentAction OnUnscannable { get; set; } = AttachmentAction.Archive;

    /// <summary>Open zip, 7z and rar attachments and check their entries (one level: an archive inside one is not opened).</summary>
    public bool InspectArchives { get; set; } = true;

    /// <summary>Entries looked at per archive; more makes the archive unscannable.</summary>
    public int MaxArchiveEntries { get; set; } = 1000;

    /// <summary>
    /// What an archive may say it expands to, all entries together (256 MiB); more is an archive bomb and unscannable.
    /// Only the first <see cref="FileSignature.SniffLength"/> bytes of each entry are ever decompressed.
    /// </summary>
    public long MaxExpandedBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// An archive attachment is copied (decoded) to be opened: up to 1 MiB in memory, the rest in a temporary file
    /// deleted on close. Larger than this (64 MiB) it is not opened and is unscannable.
    /// </summary>
    public long MaxArchiveBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Time for the whole stage on one message; past it the message is unscannable.</summary>
    public int TimeoutSeconds { get; set; } = 20;

    /// <summary>The extensions in force, lower case with their dot.</summary>
    public IReadOnlySet<string> EffectiveBlock => (Block.Count == 0 ? (IEnumerable<string>)DefaultBlock : Block)
        .Select(e => "." + e.Trim().TrimStart('.').ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    public IReadOnlySet<FileKind> EffectiveBlockTypes => (BlockTypes.Count == 0 ? (IEnumerable<FileKind>)DefaultBlockTypes : BlockTypes).ToHashSet();
}
