using System.Buffers.Text;

namespace OrleansLua.LoadGen.Workloads;

/// <summary>
/// Key names prefix&lt;m&gt; chosen so that key number n hashes to slot n mod 16384: a workload that picks n at
/// random below <c>count</c> spreads evenly over every slot (with count ≥ 16384), and so over every node of a
/// cluster, instead of leaving a few hundred slots unused as plain prefix&lt;n&gt; names do. Key n is the
/// (n / 16384)-th name, m ascending, whose slot is n mod 16384; the slot of key n needs no CRC at run time.
/// </summary>
public static class SlotKeys
{
    public static byte[][] Build(string prefix, int count)
    {
        var names = new byte[count][];
        var found = new int[KeySlot.Count];       // names found so far per slot
        int missing = count;
        Span<byte> key = stackalloc byte[prefix.Length + 20];
        int length = System.Text.Encoding.ASCII.GetBytes(prefix, key);
        for (long m = 0; missing > 0; m++)
        {
            Utf8Formatter.TryFormat(m, key[length..], out int digits);
            var name = key[..(length + digits)];
            int slot = KeySlot.Of(name);
            long n = slot + (long)found[slot] * KeySlot.Count;
            if (n >= count) continue;          // this slot has all the names it needs
            names[n] = name.ToArray();
            found[slot]++;
            missing--;
        }
        return names;
    }

    /// <summary>The slot of key number n of a table built by <see cref="Build"/>.</summary>
    public static int SlotOf(int n) => n & (KeySlot.Count - 1);
}
