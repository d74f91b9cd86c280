namespace Weir.Storage.Steps;

/// <summary>A step failed; the message names the step, where it stands, and why, with secrets redacted.</summary>
public sealed class StepFailedException : StepException
{
    /// <summary>Creates the exception.</summary>
    public StepFailedException(StepDefinition step, string message, Exception? inner = null)
        : base(message, inner)
    {
        Step = step;
    }

    /// <summary>The step at fault.</summary>
    public StepDefinition Step { get; }
}
