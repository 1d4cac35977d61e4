using System.Collections;
using System.Diagnostics;
using OpenTelemetry.Metrics;

namespace OrleansLua.Tests.Telemetry;

/// <summary>What the silo's in-memory exporters received (exporters add from their own threads).</summary>
public sealed class TelemetryCapture
{
    public LockedCollection<MetricSnapshot> Metrics { get; } = new();
    public LockedCollection<Activity> Activities { get; } = new();
}

/// <summary>A list safe to add to from an exporter thread while a test reads it.</summary>
public sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> _items = [];
    private readonly Lock _lock = new();

    public int Count { get { lock (_lock) return _items.Count; } }
    public bool IsReadOnly => false;
    public void Add(T item) { lock (_lock) _items.Add(item); }
    public void Clear() { lock (_lock) _items.Clear(); }
    public bool Contains(T item) { lock (_lock) return _items.Contains(item); }
    public void CopyTo(T[] array, int arrayIndex) { lock (_lock) _items.CopyTo(array, arrayIndex); }
    public bool Remove(T item) { lock (_lock) return _items.Remove(item); }
    public T[] ToArray() { lock (_lock) return _items.ToArray(); }
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)ToArray()).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
