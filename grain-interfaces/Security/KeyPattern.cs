using System.Text;
using OrleansLua.Protocol;

namespace OrleansLua.GrainInterfaces.Security;

/// <summary>A user's key pattern (~pattern, %R~, %W~, %RW~) and what it permits.</summary>
public sealed record KeyPattern(string Text, bool Read, bool Write)
{
    private readonly byte[] _bytes = Encoding.UTF8.GetBytes(Text);

    public bool Permits(ReadOnlySpan<byte> key, bool read, bool write) =>
        (!read || Read) && (!write || Write) && GlobPattern.IsMatch(_bytes, key);

    /// <summary>As ACL LIST prints it.</summary>
    public override string ToString() => (Read, Write) switch
    {
        (true, true) => "~" + Text,
        (true, false) => "%R~" + Text,
        _ => "%W~" + Text,
    };
}
