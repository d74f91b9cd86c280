using System.Text.Json;
using System.Text.Json.Serialization;

namespace Weir.Client;

/// <summary>Reads and writes <see cref="StateType"/> by name; an unknown name is an error that lists the states.</summary>
internal sealed class StateTypeJsonConverter : JsonConverter<StateType>
{
    public override StateType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is not null && !text.Any(char.IsDigit) && Enum.TryParse<StateType>(text, ignoreCase: true, out var state))
        {
            return state;
        }

        throw new JsonException($"is not a state; states: {string.Join(", ", Enum.GetNames<StateType>())}.");
    }

    public override void Write(Utf8JsonWriter writer, StateType value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
