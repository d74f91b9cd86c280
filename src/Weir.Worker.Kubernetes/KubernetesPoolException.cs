namespace Weir.Worker.Kubernetes;

/// <summary>
/// A kubernetes pool's setting is wrong: its job template, a deployment's job variables, the manifest they make, or where the cluster
/// is. The message names the template, variable, field or file, and what to do.
/// </summary>
internal sealed class KubernetesPoolException(string message) : Exception(message);
