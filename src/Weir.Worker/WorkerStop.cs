namespace Weir.Worker;

/// <summary>Why <see cref="Worker.RunAsync"/> returned.</summary>
public enum WorkerStop
{
    /// <summary>It was told to stop.</summary>
    Stopped,

    /// <summary>Its process should be replaced by a fresh one (abandoned in-process flow code is still running in it).</summary>
    Restart,
}
