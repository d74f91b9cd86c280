using System.Collections.Concurrent;

namespace Weir.Storage.Git;

/// <summary>
/// Exclusive locks on files of the worker's cache, across processes and within one. An exclusive open
/// (FileShare.None, an flock on Unix) keeps other processes out; in front of it a semaphore per path makes
/// this process's own callers queue instead of polling the file, so a hundred runs of one repository in an
/// in-process pool are served one after another as soon as the lock is free, not every 50 ms.
/// </summary>
internal static class FileLocks
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> s_inProcess = new(StringComparer.Ordinal);

    public static async Task<IDisposable> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        var gate = s_inProcess.GetOrAdd(Path.GetFullPath(path), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Real time, whatever clock the caller runs on: this waits for another process, which no test clock moves.
            var time = TimeProvider.System;
            var deadline = time.GetUtcNow().AddMinutes(10);
            while (true)
            {
                try
                {
                    return new Held(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), gate);
                }
                catch (IOException) when (time.GetUtcNow() < deadline)
                {
                    // Another process holds it.
                    await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private sealed class Held(FileStream file, SemaphoreSlim gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                file.Dispose();
                gate.Release();
            }
        }
    }
}
