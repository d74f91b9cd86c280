using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Engine;

namespace Weir;

/// <summary>Blocks kept on the Weir server (credentials and settings, <c>weir block create TYPE NAME</c>), for flow code.</summary>
public static class Block
{
    private static readonly JsonSerializerOptions s_binding = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>
    /// The fields of the <paramref name="type"/> block <paramref name="name"/>, secret ones revealed. The run may read only
    /// the blocks its deployment declares (see <see cref="Secret.GetAsync"/>: pull steps' references and the <c>blocks:</c>
    /// list, <c>TYPE/NAME</c>). Its secret fields are redacted (<c>********</c>) from what the run reports from then on.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The server has no such block.</exception>
    /// <exception cref="UnauthorizedAccessException">The run's deployment does not declare it (the message says how to).</exception>
    /// <exception cref="InvalidOperationException">No flow run is going, or it has no server to read from.</exception>
    public static async Task<JsonObject> GetAsync(string type, string name, CancellationToken cancellationToken = default) =>
        (await RunValues.GetBlockAsync(type, name, $"Block.GetAsync(\"{type}\", \"{name}\")", cancellationToken).ConfigureAwait(false)).Fields;

    /// <summary>
    /// The <paramref name="type"/> block <paramref name="name"/> bound to <typeparamref name="T"/>: its fields by name
    /// (<c>aws_access_key_id</c> binds to <c>AwsAccessKeyId</c>), as <see cref="GetAsync(string, string, CancellationToken)"/> reads them.
    /// </summary>
    /// <exception cref="InvalidOperationException">The fields do not bind to <typeparamref name="T"/> (or as the untyped form says).</exception>
    public static async Task<T> GetAsync<T>(string type, string name, CancellationToken cancellationToken = default)
    {
        var fields = await GetAsync(type, name, cancellationToken).ConfigureAwait(false);
        try
        {
            return fields.Deserialize<T>(s_binding)
                ?? throw new InvalidOperationException($"The {type} block '{name}' bound to nothing as {typeof(T).Name}.");
        }
        catch (JsonException ex)
        {
            // The path, not the value: a secret field's value must not reach a message.
            throw new InvalidOperationException($"The fields of the {type} block '{name}' do not bind to {typeof(T).Name} (at {ex.Path ?? "the top"}); give it properties named after the fields.", ex.InnerException);
        }
    }
}
