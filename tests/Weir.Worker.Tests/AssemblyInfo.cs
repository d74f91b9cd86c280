// The tests count this process's child processes (standby flow processes, a run's process tree), so
// classes must not run side by side.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
