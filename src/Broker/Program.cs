using AgentVault.Broker.Cli;

return await CliApp.RunAsync(args).ConfigureAwait(false);
