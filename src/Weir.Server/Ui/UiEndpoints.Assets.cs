namespace Weir.Server.Ui;

internal static partial class UiEndpoints
{
    private static readonly Dictionary<string, (byte[] Content, string Type)> s_assets = LoadAssets();

    private static void MapAssets(IEndpointRouteBuilder app) =>
        app.MapGet("/ui/{file}", (string file, HttpContext http) =>
        {
            if (!s_assets.TryGetValue(file, out var asset))
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Bytes(asset.Content, asset.Type);
        }).WithMetadata(new RoleRequirement(ApiRole.Anonymous)).ExcludeFromDescription();

    private static Dictionary<string, (byte[], string)> LoadAssets()
    {
        var assembly = typeof(UiEndpoints).Assembly;
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("ui/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var file = name["ui/".Length..];
            var type = Path.GetExtension(file) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            assets[file] = (memory.ToArray(), type);
        }

        return assets;
    }
}
