using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace OrleansLua.Tests.Infrastructure;

/// <summary>Values many end-to-end tests build: fresh hash tags, script SHAs, expected RESP texts.</summary>
public static class TestValues
{
    public const string WrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

    /// <summary>A fresh hash tag of fixed length (replies that contain key names depend on it).</summary>
    public static string Tag() => "{" + Guid.NewGuid().ToString("N")[..12] + "}";

    /// <summary>The SHA1 Redis names a script by (lower-case hex).</summary>
    public static string Sha(string script) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(script)));

    /// <summary>An array of bulk strings as RESP text.</summary>
    public static string Bulks(IEnumerable<string> items)
    {
        var list = items.ToList();
        return $"*{list.Count}\r\n" + string.Concat(list.Select(s => $"${s.Length}\r\n{s}\r\n"));
    }

    /// <summary>A new connection switched to RESP3.</summary>
    public static RawRespClient Resp3Client(int port)
    {
        var c = new RawRespClient(port);
        Assert.StartsWith("%", c.Call("HELLO", "3"));
        return c;
    }
}
