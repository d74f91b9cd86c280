namespace Weir.Storage.Steps;

/// <summary>A step could not do its work. The runner adds which step and where it stands.</summary>
public class StepException : Client.WeirException
{
    /// <summary>Creates the exception.</summary>
    public StepException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
