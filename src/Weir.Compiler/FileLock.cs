namespace Weir.Compiler;

/// <summary>
/// A lock between processes on one machine: an exclusively opened file. Used so that two workers
/// restoring the same <c>#:package</c> set do not run <c>dotnet restore</c> in one folder at once.
/// The operating system releases it if the process dies.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    public static async Task<FileLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                // Held by another process (or another compile in this one): wait for it.
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
