namespace Weir.Storage.ObjectStores.Azure;

/// <summary>A push asked to create a missing container (<c>create_container: true</c>): whether it is a dry run, and where to say it did.</summary>
/// <param name="DryRun">True for <c>--dry-run</c>, which creates nothing.</param>
/// <param name="Print">Receives the line saying the container was created.</param>
internal sealed record ContainerCreation(bool DryRun, Action<string> Print);
