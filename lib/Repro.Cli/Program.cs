return Repro.Cli.CliApp.Run(args);
