using System.Text;
using OrleansLua.GrainInterfaces.Commands;

namespace OrleansLua.Fuzz;

public enum FrameKind { Valid, Mutated, Random }

/// <summary>
/// Request frames from a seeded <see cref="Random"/> (same seed, same frames): commands of the
/// command table with random arguments, mutations of such frames (<see cref="FrameMutator"/>) and
/// random bytes. Arguments stay within what a server survives by design: no FLUSHALL or CONFIG SET
/// (they would wipe or change what the bystander checks), blocking timeouts of 10 ms, no huge
/// negative counts (SRANDMEMBER key -2147483647 is a 2-billion-element reply in Redis too), and
/// scripts that finish at once (a long script stalls all of Redis, not only one slot). Without
/// <c>wholeServer</c> it also leaves out the commands whose cost grows with the number of active
/// slot grains (DBSIZE, KEYS, SCAN, RANDOMKEY, INFO: one grain call per slot) and MEMORY PURGE (a
/// blocking full GC): the tests' fast subset runs ten times as many frames per second without them.
/// </summary>
public sealed class FrameGenerator
{
    private static readonly HashSet<string> Excluded =
        ["flushall", "flushdb", "config|set", "config|resetstat", "script|flush", "script|kill"];

    private static readonly HashSet<string> WholeServer = ["dbsize", "keys", "scan", "randomkey", "info", "memory|purge"];

    /// <summary>Runnable commands: a leaf of the table with its words (container first).</summary>
    private static readonly (CommandSpec Spec, byte[][] Words)[] AllCommands = CommandTable.All
        .SelectMany(c => c.Subcommands.Count > 0 ? c.Subcommands : [c])
        .Where(c => !Excluded.Contains(c.Name))
        .Select(c => (c, c.Name.Split('|').Select(Encoding.ASCII.GetBytes).ToArray()))
        .ToArray();

    private static readonly (CommandSpec Spec, byte[][] Words)[] SlotCommands =
        AllCommands.Where(c => !WholeServer.Contains(c.Spec.Name)).ToArray();

    private static readonly string[] Keywords =
    [
        "NX", "XX", "EX", "PX", "EXAT", "KEEPTTL", "GET", "WITHSCORES", "LIMIT", "COUNT", "MATCH", "TYPE",
        "BYSCORE", "BYLEX", "REV", "STREAMS", "MAXLEN", "MINID", "LEFT", "RIGHT", "BEFORE", "AFTER",
        "AGGREGATE", "SUM", "MIN", "MAX", "WEIGHTS", "GT", "LT", "CH", "INCR", "REPLACE", "ABSTTL", "RANK",
        "MAXLEN", "WITHVALUES", "FULL", "NOMKSTREAM", "JUSTID", "FORCE", "RETRYCOUNT", "MKSTREAM", "IDLE",
        "LEN", "IDX", "DB", "~", "=", "*", "$", ">", "+", "-", "(1", "[a", "0-1", "1-*", "RESET", "HELP",
    ];

    private static readonly string[] Numbers =
    [
        "0", "1", "2", "3", "5", "10", "100", "1000", "-1", "-2", "-10", "-1000", "0.5", "-0", "1.5e3",
        "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "99999999999999999999", "nan", "inf", "+inf", "-inf", "1e400", "0x10",
        " 1", "1 ", "", "abc",
    ];

    private static readonly string[] Scripts =
    [
        "return 1",
        "return redis.call('GET', KEYS[1])",
        "return redis.call('SET', KEYS[1], ARGV[1])",
        "return redis.pcall('INCR', KEYS[1])",
        "return {1, 'two', {3, {ok='x'}}, {err='bad'}, {double=1.5}, {map={a=1}}, {set={b=true}}, true, false}",
        "return redis.error_reply('MYERR custom')",
        "error('boom')",
        "local a = {} a[1] = a return a",
        "local t = 'leaf' for i = 1, 7994 do t = {t} end return t",
        "local t = {} for i = 1, 10000 do t = {t} end return t",
        "local t = {} for i = 1, 3000 do t = {set={[t]=true}} end return t",
        "local t = {} for i = 1, 100000 do t[i] = i end return t",
        "return cjson.decode(ARGV[1])",
        "return cjson.encode(cjson.decode(string.rep('[', 1001) .. string.rep(']', 1001)))",
        "return cmsgpack.unpack(ARGV[1])",
        "return struct.unpack('>I4', ARGV[1])",
        "redis.setresp(3) return redis.call('HGETALL', KEYS[1])",
        "return string.rep('x', 1000000)",
        "return #KEYS + #ARGV",
        "return redis.call('EVAL', 'return 1', 0)",
    ];

    private readonly Random _random;
    private readonly FrameMutator _mutator;
    private readonly (CommandSpec Spec, byte[][] Words)[] _commands;

    public FrameGenerator(int seed, bool wholeServer = true)
    {
        _random = new Random(seed);
        _mutator = new FrameMutator(_random);
        _commands = wholeServer ? AllCommands : SlotCommands;
    }

    /// <summary>Shares of valid, mutated and random frames (the rest).</summary>
    public double ValidShare { get; init; } = 0.45;
    public double MutatedShare { get; init; } = 0.45;

    public (FrameKind Kind, byte[] Frame) Next()
    {
        double roll = _random.NextDouble();
        if (roll < ValidShare) return (FrameKind.Valid, Encode(ValidCommand()));
        if (roll < ValidShare + MutatedShare) return (FrameKind.Mutated, _mutator.Mutate(ValidCommand()));
        return (FrameKind.Random, RandomBytes());
    }

    /// <summary>A command of the table with random arguments (sometimes one too few or too many).</summary>
    public byte[][] ValidCommand()
    {
        var (spec, words) = _commands[_random.Next(_commands.Length)];
        int count = spec.Arity >= 0 ? spec.Arity : -spec.Arity + _random.Next(5);
        if (_random.Next(20) == 0) count += _random.Next(2) == 0 ? -1 : 1;
        count = Math.Max(count, words.Length);
        var args = new byte[count][];
        for (int i = 0; i < count; i++)
            args[i] = i < words.Length ? words[i] : Argument(spec, i);
        if (spec.Timeout is { BlockOption: false } timeout)
        {
            int at = timeout.Index < 0 ? count + timeout.Index : timeout.Index;
            if (at >= words.Length && at < count) args[at] = "0.01"u8.ToArray();
        }
        if (spec.Name is "eval" or "eval_ro" && count > 2)
        {
            args[1] = Encoding.ASCII.GetBytes(Scripts[_random.Next(Scripts.Length)]);
            args[2] = Encoding.ASCII.GetBytes(Math.Min(_random.Next(3), count - 3).ToString());
        }
        return args;
    }

    private byte[] Argument(CommandSpec spec, int index) => _random.Next(10) switch
    {
        0 or 1 or 2 => Key(),
        3 or 4 => Encoding.ASCII.GetBytes(Keywords[_random.Next(Keywords.Length)]),
        5 or 6 => Encoding.ASCII.GetBytes(Numbers[_random.Next(Numbers.Length)]),
        7 => Encoding.ASCII.GetBytes(_random.Next(-5, 200).ToString()),
        8 => Binary(_random.Next(200) == 0 ? _random.Next(1024, 64 * 1024) : _random.Next(0, 24)),
        _ => _random.Next(8) == 0 ? Pattern() : Encoding.ASCII.GetBytes($"v{_random.Next(1000)}"),
    };

    /// <summary>
    /// Glob patterns (KEYS, SCAN/HSCAN MATCH, PSUBSCRIBE, CONFIG GET…), some of them the nested stars that
    /// were exponential before Redis's CVE-2022-36021 fix; they meet long runs of 'a' in keys and values.
    /// </summary>
    private byte[] Pattern()
    {
        int stars = _random.Next(1, 64);
        return _random.Next(4) switch
        {
            0 => Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("a*", stars)) + "b"),
            1 => Encoding.ASCII.GetBytes("*" + string.Concat(Enumerable.Repeat("?*", stars)) + "[b]"),
            2 => Encoding.ASCII.GetBytes("fz:" + string.Concat(Enumerable.Repeat("*a", stars)) + "*[^a]"),
            _ => Encoding.ASCII.GetBytes(new string('a', _random.Next(1, 4096))),
        };
    }

    /// <summary>A small key space, some of it in one slot ({fz}), so commands meet existing keys of every type.</summary>
    private byte[] Key() => Encoding.ASCII.GetBytes(_random.Next(2) == 0 ? $"fz:{_random.Next(64)}"
        : _random.Next(50) == 0 ? "fz:" + new string('a', 4096) : $"{{fz}}:{_random.Next(16)}");

    private byte[] Binary(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Random bytes, half of them drawn from RESP's own alphabet so some parse further.</summary>
    private byte[] RandomBytes()
    {
        var bytes = Binary(_random.Next(1, 256));
        if (_random.Next(2) == 0)
        {
            const string alphabet = "*$\r\n\r\n0123456789-+:%~#_,(=!>|\" '\\x";
            for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)alphabet[bytes[i] % alphabet.Length];
        }
        return bytes;
    }

    public static byte[] Encode(byte[][] args)
    {
        var frame = new MemoryStream();
        void Line(char prefix, long n)
        {
            frame.WriteByte((byte)prefix);
            frame.Write(Encoding.ASCII.GetBytes(n.ToString()));
            frame.Write("\r\n"u8);
        }
        Line('*', args.Length);
        foreach (var arg in args)
        {
            Line('$', arg.Length);
            frame.Write(arg);
            frame.Write("\r\n"u8);
        }
        return frame.ToArray();
    }
}
