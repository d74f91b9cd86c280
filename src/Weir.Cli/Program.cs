var exit = await Weir.Cli.WeirCommand.InvokeAsync(args).ConfigureAwait(false);

// WEIR_DEBUG_ASSEMBLIES=1 lists what this process loaded, to see why a start is slow (a cache hit
// loads no compiler, for example).
if (Environment.GetEnvironmentVariable("WEIR_DEBUG_ASSEMBLIES") == "1")
{
    await Weir.Engine.HostConsole.Error.WriteLineAsync("Loaded assemblies: " + string.Join(", ",
        AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name).Order(StringComparer.Ordinal))).ConfigureAwait(false);
}

return exit;
