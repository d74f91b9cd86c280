namespace Weir.Worker;

/// <summary>
/// Starts the child process of each run, keeping <see cref="WorkerOptions.Standby"/> children started
/// ahead (<c>weir flow-run standby</c>): a .NET process spends most of a trivial run's pick-up time
/// starting and compiling its own code, and a standby has done that before the run is claimed.
/// Each child still runs exactly one flow run, so runs stay isolated from each other.
/// </summary>
public sealed class FlowProcessStarter : IDisposable
{
    private readonly FlowProcessCommand _command;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _folder;
    private readonly int _standby;
    private readonly Queue<FlowProcess> _ready = new();
    private readonly Lock _lock = new();
    private int _starting;
    private bool _disposed;

    /// <summary>Creates the starter and starts its first standby children in <paramref name="folder"/>.</summary>
    public FlowProcessStarter(FlowProcessCommand command, IReadOnlyDictionary<string, string> environment, string folder, int standby)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(standby);
        _command = command;
        _environment = environment;
        _folder = folder;
        _standby = standby;
        Replenish();
    }

    /// <summary>Runs one flow run's child with <paramref name="arguments"/> (after <c>weir</c>) in <paramref name="workingDirectory"/>, and waits for it.</summary>
    public async Task<FlowProcessResult> RunAsync(
        IReadOnlyList<string> arguments, string workingDirectory, Action<string, bool> output, Action<int>? started, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        using var child = Take(arguments, workingDirectory);
        _ = Task.Run(Replenish, CancellationToken.None);
        started?.Invoke(child.Id);
        return await child.WaitAsync(output, cancel).ConfigureAwait(false);
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

    private FlowProcess Take(IReadOnlyList<string> arguments, string workingDirectory)
    {
        while (true)
        {
            FlowProcess? child;
            lock (_lock)
            {
                _ready.TryDequeue(out child);
            }

            if (child is null)
            {
                var fresh = FlowProcess.Start(_command, arguments, workingDirectory, _environment);
                fresh.CloseInput();
                return fresh;
            }

            try
            {
                if (!child.HasExited)
                {
                    child.Hand(workingDirectory, arguments);
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
                child = FlowProcess.Start(_command, ["flow-run", "standby"], _folder, _environment);
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
                    _ready.Enqueue(child);
                    continue;
                }
            }

            child.Kill();
            child.Dispose();
            return;
        }
    }
}
