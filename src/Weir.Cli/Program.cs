return await Weir.Cli.WeirCommand.InvokeAsync(args).ConfigureAwait(false);
