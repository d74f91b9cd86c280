// A worker's flow process: everything it does is in the worker library, so that every pool type runs flows the same way.
return await Weir.Worker.Hosting.FlowProcessMain.RunAsync(args, Console.In, CancellationToken.None).ConfigureAwait(false);
