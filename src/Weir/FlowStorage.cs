namespace Weir;

/// <summary>
/// Where a flow's code lives, declared in the flow file for <c>weir register</c> (the seeds'
/// <c>flow.storage = GitHub(...)</c>). Declare it as a static field or property of the class that
/// holds the flow: <c>public static readonly FlowStorage Storage = new GitHubStorage("org/repo", "flows/my_flow.cs");</c>.
/// Registration translates it to the same push and pull steps a <c>weir.yaml</c> would hold.
/// </summary>
public abstract class FlowStorage
{
    /// <summary>
    /// True: workers fetch the flow's source for every run and compile it, so task code can change
    /// without re-registering. False: the flow is compiled at registration, the build is stored on the
    /// server, and workers run exactly that build. <value>Defaults to true.</value>
    /// </summary>
    public bool StoredAsScript { get; init; } = true;

    /// <summary>The storage's short name as registration prints it (<c>Building `GitHub` storage...</c>).</summary>
    public abstract string Kind { get; }
}
