namespace Weir.Storage.Git;

/// <summary>How a worker's run gets the files of its commit (the <c>checkout</c> argument of <c>git_clone</c>).</summary>
internal enum CheckoutMode
{
    /// <summary><see cref="Shared"/> when the flow does not run in its folder (the in-process pool), else <see cref="Pool"/>.</summary>
    Auto,

    /// <summary>The commit's shared checkout itself, read-only, lent to the run.</summary>
    Shared,

    /// <summary>A checkout of the worker's pool, the run's alone, reset to the commit and cleaned (<c>git checkout</c>, <c>git clean -ffdx</c>).</summary>
    Pool,
}
