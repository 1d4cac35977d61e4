using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.Commands;

public static partial class StreamCommands
{
    /// <summary>Redis trims "~" requests by at most 100 × stream-node-max-entries entries unless LIMIT says otherwise.</summary>
    private const long DefaultApproximateLimit = 10_000;

    /// <summary>XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value …]</summary>
    public static void XAdd(CommandContext c)
    {
        var a = c.Args;
        var add = AddOrTrimArgs.Parse(c, isAdd: true);
        if (add is null) return;
        int firstField = add.IdIndex + 1;
        int fieldArgs = a.Length - firstField;
        if (fieldArgs < 2 || fieldArgs % 2 == 1)
        {
            c.Reply.WriteError("ERR wrong number of arguments for 'xadd' command");
            return;
        }
        // Refused before the key is created, so a failed XADD never leaves an empty stream behind.
        if (add.Id is { IsZero: true } && add.SeqGiven)
        {
            c.Reply.WriteError("ERR The ID specified in XADD must be greater than 0-0");
            return;
        }
        if (!c.TryWrite<RedisStream>(a[1], create: !add.NoMkStream, out var stream)) return;
        if (stream is null)
        {
            c.Reply.WriteNull();
            return;
        }
        if (stream.LastId == StreamId.Max)
        {
            c.Reply.WriteError("ERR The stream has exhausted the last possible ID, unable to add more items");
            return;
        }
        if (!stream.TryNextId(add.Id, add.SeqGiven, c.Now, out var id))
        {
            c.Reply.WriteError("ERR The ID specified in XADD is equal or smaller than the target stream top item");
            return;
        }
        stream.Append(id, a[firstField..]);
        c.Reply.WriteId(id);
        if (add.Trim is { } trim) stream.Trim(trim);
    }

    /// <summary>XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]</summary>
    public static void XTrim(CommandContext c)
    {
        var trim = AddOrTrimArgs.Parse(c, isAdd: false);
        if (trim is null || !c.TryWrite<RedisStream>(c.Args[1], create: false, out var stream)) return;
        c.Reply.WriteInteger(stream?.Trim(trim.Trim!.Value) ?? 0);
    }

    /// <summary>The options of XADD and XTRIM, parsed as Redis's streamParseAddOrTrimArgsOrReply.</summary>
    private sealed class AddOrTrimArgs
    {
        public StreamTrim? Trim { get; private set; }
        public bool NoMkStream { get; private set; }
        /// <summary>XADD's explicit ID; null for "*".</summary>
        public StreamId? Id { get; private set; }
        /// <summary>False for "&lt;ms&gt;-*".</summary>
        public bool SeqGiven { get; private set; } = true;
        /// <summary>Where XADD's ID is ("*" or explicit): the fields follow it.</summary>
        public int IdIndex { get; private set; }

        public static AddOrTrimArgs? Parse(CommandContext c, bool isAdd)
        {
            var a = c.Args;
            var parsed = new AddOrTrimArgs();
            long? maxLength = null;
            StreamId? minId = null;
            bool approximate = false, limitGiven = false;
            long limit = 0;
            int i = 2;
            for (; i < a.Length; i++)
            {
                int more = a.Length - 1 - i;
                var option = a[i];
                if (isAdd && option is [(byte)'*']) break;
                if ((option.Is("maxlen") || option.Is("minid")) && more > 0)
                {
                    if (maxLength is not null || minId is not null)
                        return Fail(c, "ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                    approximate = false;
                    if (more >= 2 && a[i + 1] is [(byte)'~'])
                    {
                        approximate = true;
                        i++;
                    }
                    else if (more >= 2 && a[i + 1] is [(byte)'=']) i++;
                    var threshold = a[++i];
                    if (option.Is("maxlen"))
                    {
                        if (!threshold.TryInt64(out long max)) return Fail(c, Errors.NotInteger);
                        if (max < 0) return Fail(c, "ERR The MAXLEN argument must be >= 0.");
                        maxLength = max;
                    }
                    else if (StreamId.TryParse(threshold, 0, strict: true, out var min)) minId = min;
                    else return Fail(c, StreamArgs.InvalidId);
                }
                else if (option.Is("limit") && more > 0)
                {
                    if (!a[++i].TryInt64(out limit)) return Fail(c, Errors.NotInteger);
                    if (limit < 0) return Fail(c, "ERR The LIMIT argument must be >= 0.");
                    limitGiven = true;
                }
                else if (isAdd && option.Is("nomkstream")) parsed.NoMkStream = true;
                else if (isAdd)
                {
                    if (!StreamId.TryParseForAdd(option, out var id, out bool seqGiven)) return Fail(c, StreamArgs.InvalidId);
                    parsed.Id = id;
                    parsed.SeqGiven = seqGiven;
                    break;
                }
                else return Fail(c, Errors.Syntax);
            }
            bool hasStrategy = maxLength is not null || minId is not null;
            if (limit != 0 && !hasStrategy)
                return Fail(c, "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
            if (!isAdd && !hasStrategy)
                return Fail(c, "ERR syntax error, XTRIM must be called with a trimming strategy");
            if (limitGiven && !approximate)
                return Fail(c, "ERR syntax error, LIMIT cannot be used without the special ~ option");
            if (!limitGiven && approximate) limit = DefaultApproximateLimit;
            if (hasStrategy) parsed.Trim = new StreamTrim(maxLength, minId ?? StreamId.Zero, approximate, limit);
            parsed.IdIndex = i;
            return parsed;
        }

        private static AddOrTrimArgs? Fail(CommandContext c, string error)
        {
            c.Reply.WriteError(error);
            return null;
        }
    }
}
