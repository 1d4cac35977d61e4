using OrleansLua.Grains.Keyspace;
using OrleansLua.Protocol;

namespace OrleansLua.Grains.Commands;

/// <summary>How stream IDs and entries are replied (the same in RESP2 and RESP3).</summary>
internal static class StreamReplies
{
    public static void WriteId(this IReplyWriter reply, StreamId id) => reply.WriteBulkString(id.ToString());

    /// <summary>An entry: [id, [field, value, …]].</summary>
    public static void WriteEntry(this IReplyWriter reply, StreamEntry entry)
    {
        reply.WriteArrayHeader(2);
        reply.WriteId(entry.Id);
        reply.WriteArrayHeader(entry.FieldsAndValues.Length);
        foreach (var item in entry.FieldsAndValues) reply.WriteBulk(item);
    }

    public static void WriteEntries(this IReplyWriter reply, IReadOnlyCollection<StreamEntry> entries)
    {
        reply.WriteArrayHeader(entries.Count);
        foreach (var entry in entries) reply.WriteEntry(entry);
    }

    /// <summary>An entry, or null when none (XINFO STREAM first-entry / last-entry).</summary>
    public static void WriteEntryOrNull(this IReplyWriter reply, StreamEntry? entry)
    {
        if (entry is null) reply.WriteNull();
        else reply.WriteEntry(entry);
    }

    /// <summary>A count that may be unknown (entries-read, lag).</summary>
    public static void WriteIntegerOrNull(this IReplyWriter reply, long? value)
    {
        if (value is { } known) reply.WriteInteger(known);
        else reply.WriteNull();
    }
}
