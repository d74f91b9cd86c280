using System.Text.Json;
using System.Text.Json.Serialization;

namespace Weir.Client;

/// <summary>The JSON settings of the API: camelCase, enums as strings.</summary>
public static class ApiJson
{
    /// <summary>The options server and client share.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
