namespace Weir.Engine;

/// <summary>Parameters given to a flow do not fit its signature: unknown, missing or of the wrong type.</summary>
internal sealed class ParameterBindingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ParameterBindingException(string message)
        : base(message)
    {
    }
}
