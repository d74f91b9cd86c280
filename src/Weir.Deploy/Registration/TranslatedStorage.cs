using System.Text.Json.Nodes;

namespace Weir.Deploy.Registration;

/// <summary>
/// A code-first storage object as the steps <c>weir.yaml</c> would hold: build, push and pull step lists (each null
/// when empty), where the flow file goes in the folder the push steps upload, and the file to put there.
/// </summary>
internal sealed record TranslatedStorage
{
    /// <summary>The flow file's path relative to where the pull steps leave the code (the entrypoint's path).</summary>
    public required string EntrypointPath { get; init; }

    /// <summary>The local file registration compiles (and uploads, for object stores).</summary>
    public required string ScriptPath { get; init; }

    /// <summary>For an image that already holds the flow: the image and the flow file's path in it, which registration reads instead of <see cref="ScriptPath"/>.</summary>
    public (string Image, string Path)? ScriptInImage { get; init; }

    /// <summary>Build steps, as stored (<c>[{"build_docker_image": {...}}]</c>); null when there are none.</summary>
    public JsonArray? Build { get; init; }

    /// <summary>Push steps, as stored; null when there are none.</summary>
    public JsonArray? Push { get; init; }

    /// <summary>Pull steps, as stored; null when there are none.</summary>
    public JsonArray? Pull { get; init; }

    /// <summary>Work-pool job variables (the image for container pools), placeholders not yet resolved.</summary>
    public JsonObject? JobVariables { get; init; }

    /// <summary>True when workers need no pull steps at all (the build stored on the server is all they run).</summary>
    public bool NoPull { get; init; }
}
