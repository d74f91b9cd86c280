namespace Weir.Storage.Git;

/// <summary>A remote ref check of one repository's branch (or HEAD): the commit it found and when the check began.</summary>
internal readonly record struct RefCheck(string Sha, DateTimeOffset Started)
{
    /// <summary>
    /// True when a run whose pull step began at <paramref name="arrival"/>, with a refresh window of
    /// <paramref name="window"/>, may take this check for its own. The window counts from the moment the check
    /// began, so whatever was pushed before that moment is in it: a push is seen by every run that starts more
    /// than a window after it. A check that began after the run arrived (one it waited for) always serves; one
    /// dated after <paramref name="now"/> means the clock went back, and serves no one.
    /// </summary>
    public bool Covers(DateTimeOffset arrival, DateTimeOffset now, TimeSpan window) =>
        window > TimeSpan.Zero && Started <= now && arrival - Started < window;
}
