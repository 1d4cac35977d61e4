namespace OrleansLua.Grains.Persistence;

/// <summary>
/// One silo per --data-dir. The embedded store fences stale activations with the epochs it handed out in memory
/// (it is the file's only writer), and SQLite's own locking serializes transactions but lets a second process in:
/// two silos on one directory would both accept writes for the same slots. So the store holds this lock file open
/// with FileShare.None (flock(LOCK_EX) on Linux) while it runs; the kernel releases it when the process ends,
/// kill -9 included, so a restart never finds a stale lock.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "orleanslua.lock";

    /// <summary>flock's "held by someone else" (Linux errno EWOULDBLOCK), which .NET passes on as the IOException's HResult.</summary>
    private const int EWouldBlock = 11;

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    public static DataDirectoryLock Acquire(string dataDir)
    {
        var path = Path.GetFullPath(Path.Combine(dataDir, FileName));
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex.HResult == EWouldBlock)
        {
            throw new InvalidOperationException(
                $"--data-dir {Path.GetDirectoryName(path)} is in use by another OrleansLua process (it holds {path}, whose content is its " +
                "process id): stop that silo first, or give this one its own --data-dir", ex);
        }
        try
        {
            // For people looking at the directory; the lock itself is the open file.
            file.SetLength(0);
            file.Write(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
            file.Flush();
        }
        catch (IOException)
        {
            // A full disk: the lock holds anyway, and the store reports the disk itself.
        }
        return new DataDirectoryLock(file);
    }

    public void Dispose() => _file.Dispose();
}
