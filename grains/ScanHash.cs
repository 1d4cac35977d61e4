namespace OrleansLua.Grains;

/// <summary>A stable 32-bit hash (FNV-1a) that orders a slot's keys for SCAN cursors.</summary>
public static class ScanHash
{
    public static uint Of(ReadOnlySpan<byte> key)
    {
        uint hash = 2166136261;
        foreach (byte b in key) hash = (hash ^ b) * 16777619;
        return hash;
    }
}
