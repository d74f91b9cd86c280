namespace Weir.Worker.Kubernetes;

/// <summary>What the worker adds to every Job it makes: who submits it, where by default, and how the flow reaches the server.</summary>
/// <param name="Pool">The work pool.</param>
/// <param name="Worker">The worker's name.</param>
/// <param name="Namespace">The namespace of Jobs whose job variables name none.</param>
/// <param name="DefaultImage">The image of deployments whose job variables name none, or null.</param>
/// <param name="ApiUrl">The server's URL as the flow's pod reaches it (<c>WEIR_API_URL</c>).</param>
/// <param name="Credentials">The secret environment of the flow container (<see cref="RunCredentials"/>: the run's token): it goes into the run's Secret.</param>
internal sealed record JobContext(string Pool, string Worker, string Namespace, string? DefaultImage, string ApiUrl, IReadOnlyDictionary<string, string> Credentials);
