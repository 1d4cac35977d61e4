using System.Text;
using OrleansLua.LoadGen.Resp;

namespace OrleansLua.LoadGen.Workloads;

/// <summary>
/// SET then GET of one key per hash slot, round-robin over all 16384 slots, so every slot (and every
/// shard grain) is touched evenly. Connections start at evenly spaced slots.
/// </summary>
public sealed class SpreadWorkload : Workload
{
    private static readonly byte[] Value = "0123456789abcdef0123456789abcdef"u8.ToArray();

    /// <summary>SlotKeys[s] is a key whose slot is s: the first name slot:&lt;n&gt; (n = 0, 1, …) found for it.</summary>
    public static readonly byte[][] SlotKeys = FindSlotKeys();

    public override IRequestSource CreateSource(int connection, int connections) =>
        new Source((int)((long)connection * KeySlot.Count / connections));

    private static byte[][] FindSlotKeys()
    {
        var keys = new byte[KeySlot.Count][];
        int missing = KeySlot.Count;
        for (long n = 0; missing > 0; n++)
        {
            var key = Encoding.ASCII.GetBytes($"slot:{n}");
            int slot = KeySlot.Of(key);
            if (keys[slot] is null)
            {
                keys[slot] = key;
                missing--;
            }
        }
        return keys;
    }

    private sealed class Source(int firstSlot) : IRequestSource
    {
        private int _slot = firstSlot;
        private bool _get;

        public void Write(RespWriter writer)
        {
            var key = SlotKeys[_slot];
            if (_get)
            {
                writer.Array(2);
                writer.Bulk("GET"u8);
                writer.Bulk(key);
                _slot = (_slot + 1) % KeySlot.Count;
            }
            else
            {
                writer.Array(3);
                writer.Bulk("SET"u8);
                writer.Bulk(key);
                writer.Bulk(Value);
            }
            _get = !_get;
        }
    }
}
