namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>Finds the repository (the folder holding MailGateway.sln) and the built gateway.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration these tests were built in (Debug or Release).</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;

    /// <summary>mailgw.dll in the gateway's own output folder (built by the project reference).</summary>
    public static string GatewayDll { get; } =
        Path.Combine(Root, "src", "Gateway", "bin", Configuration, "net10.0", "mailgw.dll");

    /// <summary>The config folder shipped beside the gateway.</summary>
    public static string GatewayConfigDirectory { get; } = Path.Combine(Path.GetDirectoryName(GatewayDll)!, "config");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MailGateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MailGateway.sln not found above " + AppContext.BaseDirectory);
    }
}
