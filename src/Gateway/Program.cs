using MailGateway.Gateway.Cli;

return await CommandDispatcher.RunAsync(args);
