namespace Weir;

/// <summary>
/// A flow baked into a container image. Registration builds and pushes the image (the
/// <c>build_docker_image</c> and <c>push_docker_image</c> steps); a container work pool runs the flow
/// from <see cref="Path"/> inside the image.
/// </summary>
public sealed class DockerStorage : FlowStorage
{
    /// <summary>Creates the storage.</summary>
    /// <param name="path">Where the flow file is in the image, such as <c>/opt/weir/flows/my_flow.cs</c>.</param>
    /// <param name="files">Local files to copy into the image: source path to path in the image. <value>Defaults to none (the image already holds the flow).</value></param>
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

    /// <summary>The image's name, with its registry. <value>Defaults to the project's name.</value></summary>
    public string? ImageName { get; init; }

    /// <summary>The image's tag. <value>Defaults to <c>latest</c>.</value></summary>
    public string Tag { get; init; } = "latest";

    /// <summary>A Dockerfile to build from, or <c>auto</c> to have one written. <value>Defaults to <c>auto</c>.</value></summary>
    public string Dockerfile { get; init; } = "auto";

    /// <inheritdoc />
    public override string Kind => "Docker";
}
