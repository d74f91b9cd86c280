using Weir.Client;

namespace Weir.Worker.Hosting;

/// <summary>A sink that also carries what the worker reports about a run (its start: preparation lines, provenance), queued with the run's own events.</summary>
internal interface IEventBatchSink
{
    /// <summary>Queues everything in <paramref name="batch"/>, ahead of what is queued after it.</summary>
    void Enqueue(EventBatch batch);
}
