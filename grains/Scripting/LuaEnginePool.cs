using System.Collections.Concurrent;

namespace OrleansLua.Grains.Scripting;

/// <summary>Silo-wide pool of Lua engines: a script rents one for its run, on its thread.</summary>
internal sealed class LuaEnginePool : IDisposable
{
    private readonly ConcurrentBag<LuaEngine> _idle = [];
    private int _created;

    public int Created => _created;

    public LuaEngine Rent()
    {
        if (_idle.TryTake(out var engine)) return engine;
        Interlocked.Increment(ref _created);
        return new LuaEngine();
    }

    public void Return(LuaEngine engine) => _idle.Add(engine);

    public void Dispose()
    {
        while (_idle.TryTake(out var engine)) engine.Dispose();
    }
}
