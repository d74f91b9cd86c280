namespace Weir.Worker;

/// <summary>A run could not start: a pull step failed, the code did not compile, or its structure no longer fits the deployment. The message is for people.</summary>
public sealed class RunPreparationException(string message, Exception? inner = null) : Client.WeirException(message, inner)
{
    /// <summary>The code the pull steps fetched before the run was stopped (a structure or compile error), recorded with the run.</summary>
    public FetchedCode? Fetched { get; init; }
}
