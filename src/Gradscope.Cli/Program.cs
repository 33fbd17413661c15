return Gradscope.Cli.Cli.Run(args);
