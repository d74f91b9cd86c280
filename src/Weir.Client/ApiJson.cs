using System.Text.Json;
using System.Text.Json.Serialization;

namespace Weir.Client;

/// <summary>
/// The JSON settings of the API, shared by server and client: camelCase, enums as strings, nulls
/// written out, and strict reading (a missing constructor argument or a null where none is allowed
/// is an error that names the field, rather than a silent default).
/// </summary>
public static class ApiJson
{
    /// <summary>The options server and client share.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(ApiJsonContext.Default, new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver()),
        };
        options.Converters.Add(new StateTypeJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
