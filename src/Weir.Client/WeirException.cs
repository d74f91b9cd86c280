namespace Weir.Client;

/// <summary>
/// The base of Weir's own errors: a sentence for people that names what is at fault (a file and line, a step, a
/// block, a value) and says what to do. The CLI prints such a message as it is, without a stack trace unless
/// asked (<c>--verbose</c>); anything that is not a Weir error, or not meant for users, is a bug to report.
/// </summary>
public class WeirException : Exception
{
    /// <summary>Creates the error.</summary>
    public WeirException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>True when the message is meant for the user as it stands (the default); false for an internal failure worth a stack trace.</summary>
    public virtual bool IsUserError => true;
}
