using System.Globalization;
using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.Commands;

/// <summary>String commands (GET, SET, INCR…), Redis 7 semantics.</summary>
public static class StringCommands
{
    public static readonly IReadOnlyDictionary<string, CommandHandler> Handlers = new Dictionary<string, CommandHandler>
    {
        ["get"] = Get,
        ["set"] = Set,
        ["setnx"] = SetNx,
        ["setex"] = SetEx,
        ["psetex"] = PSetEx,
        ["getset"] = GetSet,
        ["getdel"] = GetDel,
        ["getex"] = GetEx,
        ["mget"] = MGet,
        ["mset"] = MSet,
        ["msetnx"] = MSetNx,
        ["incr"] = Incr,
        ["incrby"] = IncrBy,
        ["decr"] = Decr,
        ["decrby"] = DecrBy,
        ["incrbyfloat"] = IncrByFloat,
        ["append"] = Append,
        ["strlen"] = StrLen,
        ["getrange"] = GetRange,
        ["setrange"] = SetRange,
    };

    public const long MaxStringLength = 512L * 1024 * 1024;

    public static void Get(CommandContext c)
    {
        if (TryGetString(c, c.Args[1], out var value)) WriteValue(c, value);
    }

    public static void Set(CommandContext c)
    {
        var a = c.Args;
        bool nx = false, xx = false, get = false, keepTtl = false;
        long expireAt = KeyEntry.NoExpiry;
        bool hasExpire = false;
        for (int i = 3; i < a.Length; i++)
        {
            bool hasNext = i + 1 < a.Length;
            if (a[i].Is("nx") && !xx) nx = true;
            else if (a[i].Is("xx") && !nx) xx = true;
            else if (a[i].Is("get")) get = true;
            else if (a[i].Is("keepttl") && !hasExpire) keepTtl = true;
            else if (!hasExpire && !keepTtl && hasNext && ExpiryOption(a[i]) is { } unit)
            {
                if (!TryExpireAt(c, a[++i], unit, "set", out expireAt)) return;
                hasExpire = true;
            }
            else
            {
                c.Reply.WriteError(Errors.Syntax);
                return;
            }
        }
        var key = a[1];
        var entry = c.Keys.Get(key, c.Now);
        if (get && entry is not null && entry.Value is not byte[])
        {
            c.Reply.WriteError(Errors.WrongType);
            return;
        }
        var old = entry?.Value as byte[];
        bool apply = !(nx && entry is not null) && !(xx && entry is null);
        if (apply) c.Keys.Set(key, a[2], c.Now, expireAt, keepTtl);
        if (get) WriteValue(c, old);
        else if (apply) c.Reply.WriteOk();
        else c.Reply.WriteNull();
    }

    public static void SetNx(CommandContext c)
    {
        if (c.Keys.Exists(c.Args[1], c.Now))
        {
            c.Reply.WriteInteger(0);
            return;
        }
        c.Keys.Set(c.Args[1], c.Args[2], c.Now);
        c.Reply.WriteInteger(1);
    }

    public static void SetEx(CommandContext c) => SetWithTtl(c, ExpiryUnit.Seconds, "setex");
    public static void PSetEx(CommandContext c) => SetWithTtl(c, ExpiryUnit.Milliseconds, "psetex");

    private static void SetWithTtl(CommandContext c, ExpiryUnit unit, string name)
    {
        if (!TryExpireAt(c, c.Args[2], unit, name, out long expireAt)) return;
        c.Keys.Set(c.Args[1], c.Args[3], c.Now, expireAt);
        c.Reply.WriteOk();
    }

    public static void GetSet(CommandContext c)
    {
        if (!TryGetString(c, c.Args[1], out var old)) return;
        c.Keys.Set(c.Args[1], c.Args[2], c.Now);
        WriteValue(c, old);
    }

    public static void GetDel(CommandContext c)
    {
        if (!TryGetString(c, c.Args[1], out var old)) return;
        if (old is not null) c.Keys.Delete(c.Args[1], c.Now);
        WriteValue(c, old);
    }

    public static void GetEx(CommandContext c)
    {
        var a = c.Args;
        long expireAt = 0;
        bool persist = false, setExpiry = false;
        for (int i = 2; i < a.Length; i++)
        {
            if (a[i].Is("persist") && !setExpiry && !persist) persist = true;
            else if (!persist && !setExpiry && i + 1 < a.Length && ExpiryOption(a[i]) is { } unit)
            {
                if (!TryExpireAt(c, a[++i], unit, "getex", out expireAt)) return;
                setExpiry = true;
            }
            else
            {
                c.Reply.WriteError(Errors.Syntax);
                return;
            }
        }
        var entry = c.Keys.Get(a[1], c.Now);
        if (entry is null)
        {
            c.Reply.WriteNull();
            return;
        }
        if (entry.Value is not byte[] value)
        {
            c.Reply.WriteError(Errors.WrongType);
            return;
        }
        if (setExpiry)
        {
            if (expireAt <= c.Now) c.Keys.Delete(a[1], c.Now);
            else c.Keys.SetExpiry(a[1], entry, expireAt);
        }
        else if (persist && entry.HasExpiry) c.Keys.SetExpiry(a[1], entry, KeyEntry.NoExpiry);
        c.Reply.WriteBulk(value);
    }

    public static void MGet(CommandContext c)
    {
        c.Reply.WriteArrayHeader(c.Args.Length - 1);
        for (int i = 1; i < c.Args.Length; i++)
        {
            if (c.Keys.Get(c.Args[i], c.Now)?.Value is byte[] value) c.Reply.WriteBulk(value);
            else c.Reply.WriteNull();
        }
    }

    public static void MSet(CommandContext c)
    {
        if (c.Args.Length % 2 == 0)
        {
            c.Reply.WriteError("ERR wrong number of arguments for 'mset' command");
            return;
        }
        for (int i = 1; i < c.Args.Length; i += 2) c.Keys.Set(c.Args[i], c.Args[i + 1], c.Now);
        c.Reply.WriteOk();
    }

    public static void MSetNx(CommandContext c)
    {
        if (c.Args.Length % 2 == 0)
        {
            c.Reply.WriteError("ERR wrong number of arguments for 'msetnx' command");
            return;
        }
        for (int i = 1; i < c.Args.Length; i += 2)
        {
            if (c.Keys.Exists(c.Args[i], c.Now))
            {
                c.Reply.WriteInteger(0);
                return;
            }
        }
        for (int i = 1; i < c.Args.Length; i += 2) c.Keys.Set(c.Args[i], c.Args[i + 1], c.Now);
        c.Reply.WriteInteger(1);
    }

    public static void Incr(CommandContext c) => IncrBy(c, 1);
    public static void Decr(CommandContext c) => IncrBy(c, -1);

    public static void IncrBy(CommandContext c)
    {
        if (!c.Args[2].TryInt64(out long by)) c.Reply.WriteError(Errors.NotInteger);
        else IncrBy(c, by);
    }

    public static void DecrBy(CommandContext c)
    {
        if (!c.Args[2].TryInt64(out long by)) c.Reply.WriteError(Errors.NotInteger);
        else if (by == long.MinValue) c.Reply.WriteError("ERR decrement would overflow");
        else IncrBy(c, -by);
    }

    private static void IncrBy(CommandContext c, long by)
    {
        var key = c.Args[1];
        var entry = c.Keys.Get(key, c.Now);
        long current = 0;
        if (entry is not null)
        {
            if (entry.Value is not byte[] bytes)
            {
                c.Reply.WriteError(Errors.WrongType);
                return;
            }
            if (!bytes.TryInt64(out current))
            {
                c.Reply.WriteError(Errors.NotInteger);
                return;
            }
        }
        if ((by > 0 && current > long.MaxValue - by) || (by < 0 && current < long.MinValue - by))
        {
            c.Reply.WriteError(Errors.Overflow);
            return;
        }
        long result = current + by;
        var text = ArgReader.Bytes(result);
        if (entry is null) c.Keys.Set(key, text, c.Now);
        else c.Keys.Update(key, entry, text);
        c.Reply.WriteInteger(result);
    }

    public static void IncrByFloat(CommandContext c)
    {
        var key = c.Args[1];
        var entry = c.Keys.Get(key, c.Now);
        byte[] current = "0"u8.ToArray();
        if (entry is not null)
        {
            if (entry.Value is not byte[] bytes)
            {
                c.Reply.WriteError(Errors.WrongType);
                return;
            }
            current = bytes;
        }
        if (!FloatText.TryAdd(current, c.Args[2], out var result, out var error))
        {
            c.Reply.WriteError(error!);
            return;
        }
        if (entry is null) c.Keys.Set(key, result, c.Now);
        else c.Keys.Update(key, entry, result);
        c.Reply.WriteBulk(result);
    }

    public static void Append(CommandContext c)
    {
        var key = c.Args[1];
        var entry = c.Keys.Get(key, c.Now);
        if (entry is null)
        {
            c.Keys.Set(key, c.Args[2], c.Now);
            c.Reply.WriteInteger(c.Args[2].Length);
            return;
        }
        if (entry.Value is not byte[] value)
        {
            c.Reply.WriteError(Errors.WrongType);
            return;
        }
        if (value.LongLength + c.Args[2].Length > MaxStringLength)
        {
            c.Reply.WriteError(Errors.StringTooLong);
            return;
        }
        var combined = new byte[value.Length + c.Args[2].Length];
        value.CopyTo(combined, 0);
        c.Args[2].CopyTo(combined, value.Length);
        c.Keys.Update(key, entry, combined);
        c.Reply.WriteInteger(combined.Length);
    }

    public static void StrLen(CommandContext c)
    {
        if (TryGetString(c, c.Args[1], out var value)) c.Reply.WriteInteger(value?.Length ?? 0);
    }

    public static void GetRange(CommandContext c)
    {
        if (!c.Args[2].TryInt64(out long start) || !c.Args[3].TryInt64(out long end))
        {
            c.Reply.WriteError(Errors.NotInteger);
            return;
        }
        if (!TryGetString(c, c.Args[1], out var value)) return;
        value ??= [];
        long len = value.Length;
        if (start < 0 && end < 0 && start > end)
        {
            c.Reply.WriteBulk([]);
            return;
        }
        if (start < 0) start = len + start;
        if (end < 0) end = len + end;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= len) end = len - 1;
        if (len == 0 || start > end) c.Reply.WriteBulk([]);
        else c.Reply.WriteBulk(value.AsSpan((int)start, (int)(end - start + 1)));
    }

    public static void SetRange(CommandContext c)
    {
        if (!c.Args[2].TryInt64(out long offset))
        {
            c.Reply.WriteError(Errors.NotInteger);
            return;
        }
        if (offset < 0)
        {
            c.Reply.WriteError(Errors.OffsetOutOfRange);
            return;
        }
        var key = c.Args[1];
        var patch = c.Args[3];
        var entry = c.Keys.Get(key, c.Now);
        byte[] value = [];
        if (entry is not null)
        {
            if (entry.Value is not byte[] existing)
            {
                c.Reply.WriteError(Errors.WrongType);
                return;
            }
            value = existing;
        }
        if (patch.Length == 0)
        {
            c.Reply.WriteInteger(value.Length);
            return;
        }
        if (offset > MaxStringLength - patch.Length) // not offset + length: an offset near long.MaxValue would overflow
        {
            c.Reply.WriteError(Errors.StringTooLong);
            return;
        }
        var result = new byte[Math.Max(value.Length, offset + patch.Length)];
        value.CopyTo(result, 0);
        patch.CopyTo(result, offset);
        if (entry is null) c.Keys.Set(key, result, c.Now);
        else c.Keys.Update(key, entry, result);
        c.Reply.WriteInteger(result.Length);
    }

    /// <summary>Reads a string value; false (after replying WRONGTYPE) if the key holds another type.</summary>
    internal static bool TryGetString(CommandContext c, byte[] key, out byte[]? value)
    {
        var entry = c.Keys.Get(key, c.Now);
        value = entry?.Value as byte[];
        if (entry is not null && value is null)
        {
            c.Reply.WriteError(Errors.WrongType);
            return false;
        }
        return true;
    }

    private static void WriteValue(CommandContext c, byte[]? value)
    {
        if (value is null) c.Reply.WriteNull();
        else c.Reply.WriteBulk(value);
    }

    internal enum ExpiryUnit { Seconds, Milliseconds, UnixSeconds, UnixMilliseconds }

    private static ExpiryUnit? ExpiryOption(byte[] arg) =>
        arg.Is("ex") ? ExpiryUnit.Seconds : arg.Is("px") ? ExpiryUnit.Milliseconds
        : arg.Is("exat") ? ExpiryUnit.UnixSeconds : arg.Is("pxat") ? ExpiryUnit.UnixMilliseconds : null;

    /// <summary>Converts an expiry argument to absolute Unix ms with Redis's checks (positive, no overflow).</summary>
    internal static bool TryExpireAt(CommandContext c, byte[] arg, ExpiryUnit unit, string command, out long expireAt)
    {
        expireAt = 0;
        if (!arg.TryInt64(out long amount))
        {
            c.Reply.WriteError(Errors.NotInteger);
            return false;
        }
        bool seconds = unit is ExpiryUnit.Seconds or ExpiryUnit.UnixSeconds;
        if (amount <= 0 || (seconds && amount > long.MaxValue / 1000))
        {
            c.Reply.WriteError(Errors.InvalidExpire(command));
            return false;
        }
        long ms = seconds ? amount * 1000 : amount;
        bool relative = unit is ExpiryUnit.Seconds or ExpiryUnit.Milliseconds;
        if (relative && ms > long.MaxValue - c.Now)
        {
            c.Reply.WriteError(Errors.InvalidExpire(command));
            return false;
        }
        expireAt = relative ? c.Now + ms : ms;
        return true;
    }
}

/// <summary>
/// INCRBYFLOAT arithmetic. Redis adds in long double and prints with 17 decimals, trailing zeros
/// trimmed; decimal arithmetic reproduces that for every value decimal can hold (so 0.1+0.2 is 0.3),
/// and double takes over beyond its range.
/// </summary>
internal static class FloatText
{
    public static bool TryAdd(byte[] current, byte[] increment, out byte[] result, out string? error)
    {
        result = [];
        error = null;
        if (!Protocol.RespNumbers.TryParseDouble(current, out double a) || !Protocol.RespNumbers.TryParseDouble(increment, out double b))
        {
            error = Errors.NotFloat;
            return false;
        }
        double sum = a + b;
        if (double.IsNaN(sum) || double.IsInfinity(sum))
        {
            error = Errors.NaNOrInfinity;
            return false;
        }
        string text;
        if (TryDecimal(current, out decimal da) && TryDecimal(increment, out decimal db) && Math.Abs(sum) < 1e27)
        {
            decimal exact = Math.Round(da + db, 17, MidpointRounding.ToEven);
            text = exact.ToString("0.#################", CultureInfo.InvariantCulture);
        }
        else
        {
            text = sum.ToString("0.#################", CultureInfo.InvariantCulture);
        }
        if (text == "-0") text = "0";
        result = System.Text.Encoding.ASCII.GetBytes(text);
        return true;
    }

    private static bool TryDecimal(byte[] text, out decimal value)
    {
        Span<char> chars = stackalloc char[Math.Min(text.Length, 64)];
        value = 0;
        if (text.Length > 64) return false;
        for (int i = 0; i < text.Length; i++) chars[i] = (char)text[i];
        return decimal.TryParse(chars, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
