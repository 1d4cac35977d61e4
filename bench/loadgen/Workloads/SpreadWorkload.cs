using OrleansLua.LoadGen.Resp;

namespace OrleansLua.LoadGen.Workloads;

/// <summary>
/// SET then GET of one key per hash slot, round-robin over all 16384 slots, so every slot (and every
/// shard grain) is touched evenly. Connections start at evenly spaced slots.
/// </summary>
public sealed class SpreadWorkload : Workload
{
    private static readonly byte[] Value = "0123456789abcdef0123456789abcdef"u8.ToArray();

    /// <summary>KeysBySlot[s] is a key whose slot is s: the first name slot:&lt;n&gt; (n = 0, 1, …) found for it.</summary>
    public static readonly byte[][] KeysBySlot = SlotKeys.Build("slot:", KeySlot.Count);

    public override IRequestSource CreateSource(int connection, int connections) =>
        new Source((int)((long)connection * KeySlot.Count / connections));

    private sealed class Source(int firstSlot) : IRequestSource
    {
        private int _slot = firstSlot;
        private bool _get;

        public int Write(RespWriter writer)
        {
            int slot = _slot;
            if (_get)
            {
                writer.Array(2);
                writer.Bulk("GET"u8);
                writer.Bulk(KeysBySlot[slot]);
                _slot = (_slot + 1) % KeySlot.Count;
            }
            else
            {
                writer.Array(3);
                writer.Bulk("SET"u8);
                writer.Bulk(KeysBySlot[slot]);
                writer.Bulk(Value);
            }
            _get = !_get;
            return slot;
        }
    }
}
