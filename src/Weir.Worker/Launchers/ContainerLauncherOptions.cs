using Weir.Storage.Docker;

namespace Weir.Worker.Launchers;

/// <summary>Options for the <c>container</c> pool's launcher.</summary>
public sealed class ContainerLauncherOptions
{
    /// <summary>The docker command. <value>Defaults to <c>docker</c> (or <c>WEIR_DOCKER</c>), talking to the daemon <c>DOCKER_HOST</c> names.</value></summary>
    public DockerCli Docker { get; init; } = new();

    /// <summary>The image for deployments whose job variables name none. <value>Defaults to none: such a run fails, naming the job variable.</value></summary>
    public string? DefaultImage { get; init; }

    /// <summary>The worker's pool, name and heart-beat interval: containers are labelled with them, and a flow whose worker died heart-beats in its name. <value>Defaults to the defaults of <see cref="WorkerOptions"/>.</value></summary>
    public WorkerOptions Worker { get; init; } = new() { Pool = "default" };
}
