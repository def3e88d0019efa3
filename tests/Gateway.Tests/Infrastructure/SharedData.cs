namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>
/// ../shared beside the repository (the corpus and the hostile-MIME set). CI has it; a bare clone does not, and the
/// tests that read it are then skipped with a message saying so.
/// </summary>
public static class SharedData
{
    public static string Root { get; } = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared"));

    public static string MimeEdge => Path.Combine(Root, "mime-edge");

    public static void SkipUnlessPresent(string folder) =>
        Skip.IfNot(Directory.Exists(folder), $"{folder} is not present (these tests need ../shared beside the repository)");
}
