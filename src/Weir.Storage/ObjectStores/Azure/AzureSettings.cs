using Weir.Storage.Steps;

namespace Weir.Storage.ObjectStores.Azure;

/// <summary>
/// Where and as whom to reach a container, from an <c>azure-blob-storage-credentials</c> block:
/// <c>connection_string</c>, or <c>account_url</c> with <c>account_key</c> (and <c>account_name</c>
/// when the URL does not show it).
/// </summary>
internal sealed record AzureSettings(string Container, string? ConnectionString, Uri? AccountUrl, string? AccountName, string? AccountKey, string Block)
{
    public static AzureSettings From(StepArguments arguments, StepContext context, string stepName)
    {
        var container = arguments.GetRequiredString("container");
        var block = CredentialsBlock.From(arguments.GetMap("credentials"), stepName, "azure-blob-storage-credentials")
            ?? throw new ObjectStoreException($"'{stepName}' needs credentials for container '{container}': pass an azure-blob-storage-credentials block with a connection_string, or an account_url and account_key.");
        var connectionString = block.Text("connection_string");
        var key = block.Text("account_key");
        context.Redactor.Add(connectionString);
        context.Redactor.Add(key);
        if (connectionString is not null)
        {
            return new AzureSettings(container, connectionString, null, null, null, block.Description);
        }

        var url = block.Text("account_url") is { } text && Uri.TryCreate(text, UriKind.Absolute, out var parsed) ? parsed
            : throw new ObjectStoreException($"{block.Description} for container '{container}' has neither a connection_string nor an account_url such as https://ACCOUNT.blob.core.windows.net.");
        var name = block.Text("account_name") ?? AccountNameOf(url);
        return new AzureSettings(container, null, url, name, key, block.Description);
    }

    /// <summary>The account in <c>https://NAME.blob.core.windows.net</c>, or in the path for emulators (<c>http://127.0.0.1:10000/NAME</c>).</summary>
    private static string AccountNameOf(Uri url) =>
        url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || url.IsLoopback
            ? url.AbsolutePath.Trim('/').Split('/')[0]
            : url.Host.Split('.')[0];
}
