using System.Text.RegularExpressions;
using MailGateway.Gateway.Tests.Infrastructure;

namespace MailGateway.Gateway.Tests.Integration;

/// <summary>The Docker lab and install files. No Docker engine runs here, so the compose file is validated by Debian's docker-compose.</summary>
public class DeploymentTests
{
    [Fact]
    public async Task The_compose_file_is_valid_and_has_the_lab_topology()
    {
        var (code, output) = await ExternalTool.RunAsync("docker-compose", "-f", Path.Combine(RepoPaths.Root, "docker-compose.yml"),
            "config");
        Assert.True(code == 0, output);
        foreach (var service in new[] { "haproxy:", "gateway1:", "gateway2:", "clamav:", "mailserver:", "postgres:" })
        {
            Assert.Contains(service, output);
        }

        Assert.Contains("send-proxy-v2", await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "deploy", "lab", "haproxy.cfg")));
        Assert.Contains("/app/config", output);
        // Both replicas share one tracking database and one archive folder.
        Assert.Equal(2, Regex.Matches(output, @"MAILGW_Tracking__ConnectionString: Host=postgres;").Count);
        Assert.Equal(2, Regex.Matches(output, @"archive:/var/lib/mailgw/archive").Count);
    }

    [Fact]
    public async Task The_dockerfile_is_multi_stage_runs_as_a_non_root_user_and_has_a_healthcheck()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "Dockerfile"));
        Assert.True(Regex.Matches(text, @"(?m)^FROM ").Count >= 2);
        var user = Regex.Match(text, @"(?m)^USER (\S+)").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(user) || user is "root" or "0");
        Assert.Matches(@"(?m)^HEALTHCHECK .*\n?.*health", text);
        Assert.Matches(@"(?m)^VOLUME .*/var/lib/mailgw", text);
    }

    [Fact]
    public async Task The_health_verb_exits_0_for_a_running_gateway_and_1_when_nothing_answers()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        var ok = await ExternalTool.RunAsync("dotnet", RepoPaths.GatewayDll, "health", "--url", $"http://127.0.0.1:{gateway.AdminPort}/healthz");
        Assert.True(ok.ExitCode == 0, ok.Output);
        var down = await ExternalTool.RunAsync("dotnet", RepoPaths.GatewayDll, "health", "--url", $"http://127.0.0.1:{FreePort.Next()}/healthz");
        Assert.Equal(1, down.ExitCode);
    }
}
