namespace Weir.Worker.Kubernetes;

/// <summary>Where a Job is.</summary>
internal sealed record JobRef(string Namespace, string Name);
