namespace Weir.Cli;

/// <summary>The <c>weir</c> command's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Success; for <c>weir run</c>, the flow run Completed.</summary>
    public const int Success = 0;

    /// <summary>The flow run ended Failed, Crashed or Cancelled.</summary>
    public const int RunFailed = 1;

    /// <summary>The command could not do its work: bad arguments, a compile error, a missing file.</summary>
    public const int UsageError = 2;
}
