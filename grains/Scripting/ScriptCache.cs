using System.Collections.Concurrent;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// A silo's local script cache: SCRIPT LOADed scripts stay; scripts that arrived by EVAL (or were
/// fetched for EVALSHA) are kept least recently used, at most <see cref="EvalCapacity"/>.
/// </summary>
public sealed class ScriptCache
{
    public const int EvalCapacity = 500;

    private readonly ConcurrentDictionary<string, ScriptInfo> _loaded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LinkedListNode<ScriptInfo>> _evaluated = new(StringComparer.Ordinal);
    private readonly LinkedList<ScriptInfo> _recency = new();
    private readonly Lock _lock = new();

    public int EvaluatedCount
    {
        get { lock (_lock) return _evaluated.Count; }
    }

    public bool TryGet(string sha, out ScriptInfo info)
    {
        if (_loaded.TryGetValue(sha, out info!)) return true;
        lock (_lock)
        {
            if (!_evaluated.TryGetValue(sha, out var node)) return false;
            _recency.Remove(node);
            _recency.AddFirst(node);
            info = node.Value;
            return true;
        }
    }

    public bool Contains(string sha)
    {
        if (_loaded.ContainsKey(sha)) return true;
        lock (_lock) return _evaluated.ContainsKey(sha);
    }

    public void AddLoaded(ScriptInfo info)
    {
        _loaded[info.Sha] = info;
        lock (_lock)
        {
            if (_evaluated.Remove(info.Sha, out var node)) _recency.Remove(node);
        }
    }

    /// <returns>False if it was already cached.</returns>
    public bool AddEvaluated(ScriptInfo info)
    {
        if (_loaded.ContainsKey(info.Sha)) return false;
        lock (_lock)
        {
            if (_evaluated.ContainsKey(info.Sha)) return false;
            _evaluated[info.Sha] = _recency.AddFirst(info);
            while (_evaluated.Count > EvalCapacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _evaluated.Remove(oldest.Value.Sha);
            }
            return true;
        }
    }

    public void Clear()
    {
        _loaded.Clear();
        lock (_lock)
        {
            _evaluated.Clear();
            _recency.Clear();
        }
    }
}
