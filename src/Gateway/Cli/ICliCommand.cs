namespace MailGateway.Gateway.Cli;

/// <summary>
/// One verb of the <c>mailgw</c> command line. Implementations are discovered by reflection, so a new verb is
/// one new file and needs no registration.
/// </summary>
public interface ICliCommand
{
    /// <summary>The verb typed after <c>mailgw</c>, e.g. <c>serve</c>.</summary>
    string Name { get; }

    /// <summary>One line for <c>mailgw help</c>.</summary>
    string Usage { get; }

    /// <summary>Runs the verb; returns the process exit code.</summary>
    Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken);
}
