namespace MailGateway.Filters.Attachments;

/// <summary>What a file really is, read from its first bytes (<see cref="FileSignature"/>), whatever its name says.</summary>
public enum FileKind
{
    /// <summary>Nothing recognised.</summary>
    Other,

    /// <summary>A Windows/DOS executable or DLL ("MZ").</summary>
    PeExecutable,

    /// <summary>A Linux/Unix executable or library (7F "ELF").</summary>
    Elf,

    /// <summary>A macOS executable (thin or universal Mach-O).</summary>
    MachO,

    /// <summary>A script meant to be run ("#!").</summary>
    ShellScript,

    /// <summary>A Windows shortcut (4C 00 00 00 01 14 02 00).</summary>
    Lnk,

    /// <summary>A CD/DVD image (ISO 9660: "CD001" at 0x8001), which Windows mounts with a double click.</summary>
    Iso,

    /// <summary>An OLE compound file: Office 97-2003 documents (.doc .xls .ppt, all able to carry macros), .msi.</summary>
    OleCompound,

    /// <summary>An Office Open XML file with a VBA project inside (.docm .xlsm .pptm), found when the zip is opened.</summary>
    OfficeMacro,

    /// <summary>A Java class file (CA FE BA BE with a class-file version).</summary>
    JavaClass,

    Zip,
    SevenZip,
    Rar,
    Gzip,
    Pdf,
}
