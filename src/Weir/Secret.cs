using Weir.Engine;

namespace Weir;

/// <summary>Secrets kept on the Weir server (<c>secret</c> blocks, set with <c>weir secret set NAME</c>), for flow code.</summary>
public static class Secret
{
    /// <summary>
    /// The value of the secret <paramref name="name"/>. In a worker's run it is read with the run's own token, which may read
    /// only the blocks the run's deployment declares: those its pull steps refer to and those its <c>blocks:</c> list in
    /// <c>weir.yaml</c> names (<c>blocks: [NAME]</c>). In <c>weir run</c> it is read from the server in <c>WEIR_API_URL</c> with
    /// <c>WEIR_API_KEY</c>. From then on the value is replaced by <c>********</c> in everything the run reports: its log lines,
    /// state messages and task run parameters (values shorter than 4 characters excepted).
    /// </summary>
    /// <exception cref="KeyNotFoundException">The server has no secret of that name.</exception>
    /// <exception cref="UnauthorizedAccessException">The run's deployment does not declare it (the message says how to).</exception>
    /// <exception cref="InvalidOperationException">No flow run is going, or it has no server to read from.</exception>
    public static async Task<string> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var block = await RunValues.GetBlockAsync("secret", name, $"Secret.GetAsync(\"{name}\")", cancellationToken).ConfigureAwait(false);
        return block.Fields["value"] is System.Text.Json.Nodes.JsonValue value ? value.ToString() : string.Empty;
    }
}
