using OrleansLua.GrainInterfaces;

namespace OrleansLua.Grains.Scripting;

/// <summary>The cluster-wide script cache. In memory for now: it lives as long as its silo.</summary>
[KeepAlive]
public sealed class ScriptRegistryGrain(ScriptHost host) : Grain, IScriptRegistryGrain
{
    private readonly Dictionary<string, byte[]> _scripts = new(StringComparer.Ordinal);
    private long _epoch;

    public Task<ScriptLoadResult> Load(byte[] body)
    {
        var error = host.CompileCheck(body);
        if (error is not null) return Task.FromResult(new ScriptLoadResult { Error = error });
        var sha = ScriptHost.Sha1Of(body);
        _scripts[sha] = body;
        host.Remember(sha, body);
        return Task.FromResult(new ScriptLoadResult { Sha = sha });
    }

    public Task Register(string sha, byte[] body)
    {
        _scripts[sha] = body;
        return Task.CompletedTask;
    }

    public Task<byte[]?> Get(string sha) => Task.FromResult(_scripts.GetValueOrDefault(sha));

    public Task<bool[]> Exists(string[] shas) =>
        Task.FromResult(shas.Select(s => _scripts.ContainsKey(s.ToLowerInvariant())).ToArray());

    public Task<long> Flush()
    {
        _scripts.Clear();
        _epoch++;
        host.Flush(_epoch);
        return Task.FromResult(_epoch);
    }

    public Task<long> Epoch() => Task.FromResult(_epoch);
}
