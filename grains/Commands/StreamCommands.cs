namespace OrleansLua.Grains.Commands;

/// <summary>
/// Stream commands (XADD, XRANGE, XREAD, consumer groups…), Redis 7.0 semantics. One file per
/// family: StreamAddCommands (XADD, XTRIM), StreamRangeCommands (XLEN, XRANGE, XREVRANGE, XDEL,
/// XSETID), StreamReadCommands (XREAD, XREADGROUP), StreamGroupCommands (XGROUP, XACK),
/// StreamClaimCommands (XPENDING, XCLAIM, XAUTOCLAIM), StreamInfoCommands (XINFO).
/// </summary>
public static partial class StreamCommands
{
    public static readonly IReadOnlyDictionary<string, CommandHandler> Handlers = new Dictionary<string, CommandHandler>
    {
        ["xadd"] = XAdd,
        ["xtrim"] = XTrim,
        ["xlen"] = XLen,
        ["xrange"] = XRange,
        ["xrevrange"] = XRevRange,
        ["xdel"] = XDel,
        ["xsetid"] = XSetId,
        ["xread"] = XRead,
        ["xreadgroup"] = XRead,
        ["xack"] = XAck,
        ["xpending"] = XPending,
        ["xclaim"] = XClaim,
        ["xautoclaim"] = XAutoClaim,
        ["xgroup|create"] = XGroupCreate,
        ["xgroup|setid"] = XGroupSetId,
        ["xgroup|destroy"] = XGroupDestroy,
        ["xgroup|createconsumer"] = XGroupCreateConsumer,
        ["xgroup|delconsumer"] = XGroupDelConsumer,
        ["xinfo|stream"] = XInfoStream,
        ["xinfo|groups"] = XInfoGroups,
        ["xinfo|consumers"] = XInfoConsumers,
    };
}
