using OrleansLua.Grains.Keyspace;
using OrleansLua.Protocol;
using KeyspaceStore = OrleansLua.Grains.Keyspace.Keyspace;

namespace OrleansLua.Grains.Commands;

/// <summary>What a command implementation sees: the slot's keys, its arguments, the clock and where to reply.</summary>
public sealed class CommandContext(KeyspaceStore keys, IReplyWriter reply)
{
    public KeyspaceStore Keys { get; } = keys;
    public IReplyWriter Reply { get; set; } = reply;
    public byte[][] Args { get; set; } = [];
    /// <summary>Unix milliseconds; frozen for the duration of a script.</summary>
    public long Now { get; set; }

    /// <summary>The connection's ACL user when it is restricted (scripts check each redis.call); null = unrestricted.</summary>
    public OrleansLua.GrainInterfaces.Security.AclUser? User { get; set; }

    /// <summary>The command was called by a Lua script (redis.call), which can never wait.</summary>
    public bool InScript { get; set; }

    /// <summary>The batch's client (<see cref="GrainInterfaces.ShardBatch.Client"/>): a script is registered under it.</summary>
    public string? Client { get; set; }

    /// <summary>
    /// Reads a collection key: true with null when missing, true with the value when it holds a
    /// <typeparamref name="T"/>, false (WRONGTYPE already replied) when it holds another type.
    /// </summary>
    public bool TryRead<T>(byte[] key, out T? value) where T : class, IRedisValue
    {
        var entry = Keys.Get(key, Now);
        value = entry?.Value as T;
        if (entry is null || value is not null) return true;
        Reply.WriteError(Errors.WrongType);
        return false;
    }

    /// <summary>
    /// Gets a collection key for changing it: journaled first (rollback, write sets), created empty
    /// when missing and <paramref name="create"/>. False (WRONGTYPE replied) when it holds another type.
    /// After changing it, call <see cref="Written"/>.
    /// </summary>
    public bool TryWrite<T>(byte[] key, bool create, out T? value) where T : class, IRedisValue, new()
    {
        var entry = Keys.Get(key, Now);
        if (entry is null)
        {
            value = null;
            if (!create) return true;
            value = new T();
            Keys.Set(key, value, Now);
            return true;
        }
        value = entry.Value as T;
        if (value is null)
        {
            Reply.WriteError(Errors.WrongType);
            return false;
        }
        Keys.BeforeMutate(key, entry);
        return true;
    }

    /// <summary>After a change: a collection left empty is deleted, as Redis does.</summary>
    public void Written(byte[] key, IRedisValue value)
    {
        if (value.IsEmpty) Keys.Delete(key, Now);
    }
}

/// <summary>Redis's exact error texts, shared by command implementations.</summary>
public static class Errors
{
    public const string WrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public const string NotInteger = "ERR value is not an integer or out of range";
    public const string NotFloat = "ERR value is not a valid float";
    public const string Syntax = "ERR syntax error";
    public const string NoSuchKey = "ERR no such key";
    public const string Overflow = "ERR increment or decrement would overflow";
    public const string NaNOrInfinity = "ERR increment would produce NaN or Infinity";
    public const string StringTooLong = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    public const string OffsetOutOfRange = "ERR offset is out of range";

    public static string InvalidExpire(string command) => $"ERR invalid expire time in '{command}' command";
}

public delegate void CommandHandler(CommandContext ctx);
