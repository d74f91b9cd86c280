namespace Weir.Worker;

/// <summary>
/// Starts the child process of each run, keeping <see cref="WorkerOptions.Standby"/> children started
/// ahead (<c>Weir.Runner</c>, waiting for its run): a .NET process spends most of a trivial run's pick-up time
/// starting and compiling its own code, and a standby has done that before the run is claimed.
/// By default each child runs exactly one flow run, so runs stay isolated from each other; with
/// <see cref="WorkerOptions.RunsPerProcess"/> above 1 a child runs up to that many, one after another,
/// each in a fresh load context and folder, and the process start is paid once for all of them.
/// </summary>
public sealed class FlowProcessStarter : IDisposable
{
    private readonly FlowProcessCommand _command;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _folder;
    private readonly int _standby;
    private readonly int _runsPerProcess;
    private readonly LinkedList<FlowProcess> _ready = new();
    private readonly Lock _lock = new();
    private int _starting;
    private bool _disposed;

    /// <summary>
    /// Creates the starter and starts its first standby children in <paramref name="folder"/>. They get the allow-list of this
    /// process's environment (<see cref="FlowEnvironment"/>) and <paramref name="environment"/>: no key, as they start before
    /// their runs and may serve several; each run's token comes with its assignment.
    /// </summary>
    public FlowProcessStarter(FlowProcessCommand command, IReadOnlyDictionary<string, string> environment, string folder, int standby, int runsPerProcess = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(standby);
        ArgumentOutOfRangeException.ThrowIfLessThan(runsPerProcess, 1);
        _command = command;
        _environment = FlowEnvironment.Build(environment);
        _folder = folder;
        _standby = standby;
        _runsPerProcess = runsPerProcess;
        Replenish();
    }

    private string[] RunnerArguments => _runsPerProcess > 1
        ? ["--runs", _runsPerProcess.ToString(System.Globalization.CultureInfo.InvariantCulture)]
        : [];

    /// <summary>Hands <paramref name="assignment"/> to a flow process (one started ahead, or a new one) and waits for its run to end.</summary>
    public async Task<FlowProcessResult> RunAsync(
        Hosting.FlowRunAssignment assignment, Action<string, bool> output, Action<int>? started, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        cancel.ThrowIfCancellationRequested();
        var child = Take(assignment.ToJsonLine());
        _ = Task.Run(Replenish, CancellationToken.None);
        started?.Invoke(child.Id);
        FlowProcessResult? result = null;
        try
        {
            result = await child.WaitAsync(output, cancel).ConfigureAwait(false);
            return result;
        }
        finally
        {
            if (result is { Reusable: true })
            {
                Release(child);
            }
            else
            {
                child.Dispose();
            }
        }
    }

    /// <summary>Stops the standby children.</summary>
    public void Dispose()
    {
        List<FlowProcess> waiting;
        lock (_lock)
        {
            _disposed = true;
            waiting = [.. _ready];
            _ready.Clear();
        }

        foreach (var child in waiting)
        {
            child.Kill();
            child.Dispose();
        }
    }

    private FlowProcess Take(string assignment)
    {
        while (true)
        {
            FlowProcess? child;
            lock (_lock)
            {
                child = _ready.First?.Value;
                if (child is not null)
                {
                    _ready.RemoveFirst();
                }
            }

            // With no process started ahead (or none left), a new one takes the run the same way: on its standard input.
            child ??= FlowProcess.Start(_command, RunnerArguments, _folder, _environment);
            try
            {
                if (!child.HasExited)
                {
                    child.Hand(assignment, more: child.RunsHanded + 1 < _runsPerProcess);
                    return child;
                }
            }
            catch (IOException)
            {
                // It died between the check and the hand-over; the next one (or a fresh start) takes the run.
            }

            child.Kill();
            child.Dispose();
        }
    }

    /// <summary>A child that ended its run and may take more goes back to the front of the queue (it is the warmest); others retire.</summary>
    private void Release(FlowProcess child)
    {
        lock (_lock)
        {
            if (!_disposed && !child.HasExited && child.RunsHanded < _runsPerProcess)
            {
                _ready.AddFirst(child);
                return;
            }
        }

        _ = child.RetireAsync();
    }

    private void Replenish()
    {
        while (true)
        {
            lock (_lock)
            {
                if (_disposed || _ready.Count + _starting >= _standby)
                {
                    return;
                }

                _starting++;
            }

            FlowProcess child;
            try
            {
                child = FlowProcess.Start(_command, RunnerArguments, _folder, _environment);
            }
            catch (Exception ex) when (ex is IOException or System.ComponentModel.Win32Exception)
            {
                // Runs then start their own process, as without standby children.
                lock (_lock)
                {
                    _starting--;
                }

                return;
            }

            lock (_lock)
            {
                _starting--;
                if (!_disposed)
                {
                    _ready.AddLast(child);
                    continue;
                }
            }

            child.Kill();
            child.Dispose();
            return;
        }
    }
}
