namespace Weir;

/// <summary>
/// A flow baked into a container image; a container work pool runs the flow from <see cref="Path"/>
/// inside the image. With <see cref="Files"/> (or a <see cref="Dockerfile"/> of your own), registration
/// builds the image and pushes it (the <c>build_docker_image</c> and <c>push_docker_image</c> steps).
/// With neither, the image named by <see cref="ImageName"/> and <see cref="Tag"/> already holds the flow
/// at <see cref="Path"/>: registration builds nothing and reads the flow file out of the image to
/// record its structure. Runs start in the image's project folder <c>/opt/weir/project</c>, where relative
/// <see cref="Files"/> destinations and a relative <see cref="Path"/> go, so a flow reads the files it was given by
/// those paths; a flow file elsewhere in the image runs from its own folder.
/// </summary>
public sealed class DockerStorage : FlowStorage
{
    /// <summary>Creates the storage.</summary>
    /// <param name="path">Where the flow file is in the image, such as <c>/opt/weir/flows/my_flow.cs</c>; a relative path is under the image's working folder <c>/opt/weir/project</c>.</param>
    /// <param name="files">Local files to copy into the image: source path (relative to the current folder) to path in the image (relative paths are under <c>/opt/weir/project</c>). <value>Defaults to none (the image already holds the flow).</value></param>
    public DockerStorage(string path, IReadOnlyDictionary<string, string>? files = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        Files = files ?? new Dictionary<string, string>();
    }

    /// <summary>The flow file's path in the image.</summary>
    public string Path { get; }

    /// <summary>Local files copied into the image: source to destination.</summary>
    public IReadOnlyDictionary<string, string> Files { get; }

    /// <summary>The image's name, with its registry (<c>registry.example.com/team/flows</c>). <value>Defaults to the project's name when the image is built; required when the image already holds the flow.</value></summary>
    public string? ImageName { get; init; }

    /// <summary>The image's tag. <value>Defaults to <c>latest</c>.</value></summary>
    public string Tag { get; init; } = "latest";

    /// <summary>A Dockerfile to build from (relative to the current folder, which is then the build context), or <c>auto</c> to have one written. <value>Defaults to <c>auto</c>.</value></summary>
    public string Dockerfile { get; init; } = "auto";

    /// <summary>
    /// The image that <c>Dockerfile = "auto"</c> builds on; it needs the ASP.NET Core runtime the Weir runner uses
    /// (<c>build_docker_image</c>'s <c>base_image</c>). <value>Defaults to <c>mcr.microsoft.com/dotnet/aspnet:10.0</c>.</value>
    /// </summary>
    public string? BaseImage { get; init; }

    /// <summary>
    /// The name of a <c>docker-registry-credentials</c> block (<c>username</c>, <c>password</c>, <c>registry_url</c>)
    /// that registration logs in with to push the built image (<c>push_docker_image</c>'s <c>credentials</c>);
    /// the password never leaves the server's block. Workers pull with their own <c>docker login</c>.
    /// <value>Defaults to none: the push uses the registering user's docker login.</value>
    /// </summary>
    public string? RegistryCredentials { get; init; }

    /// <inheritdoc />
    public override string Kind => "Docker";
}
