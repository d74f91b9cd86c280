namespace Weir.Engine;

/// <summary>
/// Where a run's <see cref="Secret"/>, <see cref="Block"/> and <see cref="Variable"/> reads go: the Weir server, reached with
/// the run's own token in a worker's runs, or with <c>WEIR_API_URL</c>/<c>WEIR_API_KEY</c> in <c>weir run</c>. The host
/// gives one to each run (<see cref="FlowRunOptions.Values"/>): in-process runs share a process, so it travels with the run.
/// </summary>
internal interface IRunValueSource
{
    /// <summary>
    /// The block's fields, secret ones revealed, or null when there is none of that type and name. A block the run may
    /// not read is an <see cref="UnauthorizedAccessException"/> whose message names it and how to declare it.
    /// </summary>
    Task<RunBlock?> GetBlockAsync(string type, string name, CancellationToken cancellationToken);

    /// <summary>The variable's value, or null when there is none.</summary>
    Task<string?> GetVariableAsync(string name, CancellationToken cancellationToken);
}
