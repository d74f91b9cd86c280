using Weir.Engine;

namespace Weir;

/// <summary>Variables kept on the Weir server (named plain values, <c>weir variable set NAME VALUE</c>), for flow code.</summary>
public static class Variable
{
    /// <summary>
    /// The value of the variable <paramref name="name"/>, or null when the server has none. Every run may read every
    /// variable (they are not secret); in <c>weir run</c> the server in <c>WEIR_API_URL</c> is asked.
    /// </summary>
    /// <exception cref="InvalidOperationException">No flow run is going, or it has no server to read from.</exception>
    public static Task<string?> GetAsync(string name, CancellationToken cancellationToken = default) => RunValues.GetVariableAsync(name, cancellationToken);
}
