namespace OrleansLua.Fuzz;

/// <summary>The server under test, watched through /proc (Linux): alive or not, resident memory.</summary>
public sealed class ServerProcess(int pid)
{
    public int Pid => pid;

    public bool Alive => ResidentKb() is not null;

    /// <summary>VmRSS of /proc/PID/status in KiB, or null when the process is gone.</summary>
    public long? ResidentKb()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]);
            return null; // a zombie has no VmRSS
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
