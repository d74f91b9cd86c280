namespace Weir.Worker;

/// <summary>A run could not start: a pull step failed, the code did not compile, or its structure no longer fits the deployment. The message is for people.</summary>
public sealed class RunPreparationException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// What code the pull steps had fetched when the run was stopped after them (a compile error, a structure that no
    /// longer fits): recorded on the run like any other run's, so a failed run says which commit or manifest it saw.
    /// <value>Null when no code was fetched.</value>
    /// </summary>
    public RunProvenance? Fetched { get; init; }
}
