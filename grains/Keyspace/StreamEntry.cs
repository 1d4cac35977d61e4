namespace OrleansLua.Grains.Keyspace;

/// <summary>One stream entry: its ID and field-value pairs (field, value, field, value…). Never changes once added.</summary>
public sealed class StreamEntry(StreamId id, byte[][] fieldsAndValues)
{
    public StreamId Id { get; } = id;
    public byte[][] FieldsAndValues { get; } = fieldsAndValues;
}
