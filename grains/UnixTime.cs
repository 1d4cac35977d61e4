namespace OrleansLua.Grains;

public static class UnixTime
{
    public static long NowMilliseconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
