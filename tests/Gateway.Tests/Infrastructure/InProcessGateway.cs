namespace MailGateway.Gateway.Tests.Infrastructure;

/// <summary>For tests that build the gateway's host in the test process (GatewayHost.Build) instead of a child process.</summary>
public static class InProcessGateway
{
    /// <summary>
    /// What <see cref="GatewayProcess"/> does for its child: the repository's shipped config/ and no MAILGW_ setting
    /// from the developer's shell. Child processes of other tests are unaffected, GatewayProcess sets both itself.
    /// </summary>
    public static void UseOnlyTheTestConfiguration()
    {
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("MAILGW_")))
        {
            Environment.SetEnvironmentVariable(key, null);
        }

        Environment.SetEnvironmentVariable("MAILGW_CONFIG_DIR", RepoPaths.GatewayConfigDirectory);
    }
}
