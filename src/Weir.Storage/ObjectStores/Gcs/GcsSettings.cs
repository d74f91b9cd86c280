using Weir.Storage.Steps;

namespace Weir.Storage.ObjectStores.Gcs;

/// <summary>
/// Where and as whom to reach a GCS bucket, from the arguments and a <c>gcp-credentials</c> block
/// (Prefect's fields: <c>service_account_info</c> as JSON text or a mapping, or
/// <c>service_account_file</c>; <c>project</c> is accepted and not needed for objects). With an
/// <c>endpoint_url</c> (an emulator) and no block, requests carry no credentials.
/// </summary>
internal sealed record GcsSettings(string Bucket, Uri Endpoint, bool IsEmulator, string? ServiceAccountJson, string? ServiceAccountFile, string? Block)
{
    public static readonly Uri GoogleEndpoint = new("https://storage.googleapis.com/");

    public static GcsSettings From(StepArguments arguments, StepContext context, string stepName)
    {
        var bucket = arguments.GetRequiredString("bucket");
        var block = CredentialsBlock.From(arguments.GetMap("credentials"), stepName, "gcp-credentials");
        var json = block?.Json("service_account_info");
        if (json is not null)
        {
            context.Redactor.Add(json);
            context.Redactor.Add(PrivateKeyOf(json));
        }

        var endpointText = arguments.GetString("endpoint_url") is { Length: > 0 } e ? e : block?.Text("endpoint_url");
        Uri endpoint = GoogleEndpoint;
        if (endpointText is not null && !Uri.TryCreate(endpointText.TrimEnd('/') + "/", UriKind.Absolute, out endpoint!))
        {
            throw new ObjectStoreException($"the endpoint_url '{endpointText}' for bucket '{bucket}' is not an absolute URL such as http://127.0.0.1:9199.");
        }

        return new GcsSettings(bucket, endpoint, endpointText is not null, json, block?.Text("service_account_file"), block?.Description);
    }

    private static string? PrivateKeyOf(string json)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("private_key", out var key) ? key.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
