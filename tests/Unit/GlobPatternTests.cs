using System.Diagnostics;
using System.Text;
using OrleansLua.Protocol;
using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.Unit;

public class GlobPatternTests
{
    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("h?llo", "hello", true)]
    [InlineData("h?llo", "hllo", false)]
    [InlineData("h*llo", "heeeello", true)]
    [InlineData("h[ae]llo", "hallo", true)]
    [InlineData("h[ae]llo", "hillo", false)]
    [InlineData("h[^e]llo", "hallo", true)]
    [InlineData("h[^e]llo", "hello", false)]
    [InlineData("h[a-b]llo", "hbllo", true)]
    [InlineData("h[a-b]llo", "hcllo", false)]
    [InlineData("h\\*llo", "h*llo", true)]
    [InlineData("h\\*llo", "hello", false)]
    [InlineData("user:*:name", "user:42:name", true)]
    [InlineData("user:*:name", "user:42:age", false)]
    // Redis's readings of malformed patterns: an unterminated class ends the pattern, "[^" matches any byte
    [InlineData("a[b", "ab", true)]
    [InlineData("a[^", "ax", true)]
    [InlineData("a[", "a", false)]
    [InlineData("a\\", "a\\", true)]
    [InlineData("[z-a]", "m", true)]
    [InlineData("a**", "a", true)]
    public void Matches_like_redis(string pattern, string text, bool expected) =>
        Assert.Equal(expected, GlobPattern.IsMatch(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData("H*LLO", "hello", true)]
    [InlineData("[A-C]x", "bX", true)]
    [InlineData("[^A-C]x", "bX", false)]
    public void Matches_without_case(string pattern, string text, bool expected) =>
        Assert.Equal(expected, GlobPattern.IsMatch(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(text), noCase: true));

    /// <summary>Redis's "Regression for pattern matching long nested loops" (CVE-2022-36021) and a 64 KB key.</summary>
    [Fact]
    public void Nested_stars_cost_at_most_pattern_times_text()
    {
        var watch = Stopwatch.StartNew();
        Assert.False(GlobPattern.IsMatch("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"u8, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"u8));
        var key = new byte[64 * 1024];
        key.AsSpan().Fill((byte)'a');
        var pattern = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*a", 500)) + "*b");
        Assert.False(GlobPattern.IsMatch(pattern, key));
        Assert.True(GlobPattern.IsMatch(pattern.AsSpan(0, pattern.Length - 1), key));
        var question = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*?", 400)) + "*[b]");
        Assert.False(GlobPattern.IsMatch(question, key, noCase: true));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Stars_nested_deeper_than_the_limit_do_not_match_and_do_not_overflow_the_stack()
    {
        var pattern = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*a", 100_000)));
        var text = new byte[100_000];
        text.AsSpan().Fill((byte)'a');
        Assert.False(GlobPattern.IsMatch(pattern, text));
        var within = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*a", GlobPattern.MaxNesting)));
        Assert.True(GlobPattern.IsMatch(within, text));
    }

    /// <summary>
    /// Thousands of random patterns over an alphabet rich in special characters, against the same
    /// random keys in a real redis-server 7.0.15: KEYS (case-sensitive) must select exactly the keys
    /// we match, and COMMAND LIST FILTERBY PATTERN (case-insensitive) exactly the command names.
    /// </summary>
    [Fact]
    public void Agrees_with_redis_server_on_random_patterns()
    {
        using var redis = new RedisServerProcess();
        using var client = redis.Connect();
        var random = new Random(20261207);
        const string keyAlphabet = "abcA-[]*?^\\";
        const string patternAlphabet = "abcA*?[]^-\\";
        // no empty key: KEYS answers it for the exact pattern "*" only, by a shortcut before matching
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (keys.Count < 300) keys.Add(RandomString(random, keyAlphabet, 8) is { Length: > 0 } key ? key : "a");
        foreach (var key in keys) Assert.Equal("+OK\r\n", client.Call("SET", key, "1"));

        var commandNames = ParseBulks(client.Call("COMMAND", "LIST"));
        Assert.True(commandNames.Count > 200);
        const string namePatternAlphabet = "aeilrstAELRS*?[]^-|\\";
        int matched = 0;
        for (int i = 0; i < 3000; i++)
        {
            var pattern = RandomString(random, patternAlphabet, 10);
            var expected = ParseBulks(client.Call("KEYS", pattern)).ToHashSet(StringComparer.Ordinal);
            var ours = keys.Where(k => GlobPattern.IsMatch(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(k))).ToHashSet(StringComparer.Ordinal);
            Assert.True(expected.SetEquals(ours), $"KEYS {pattern}: redis {string.Join(' ', expected.Order())} ours {string.Join(' ', ours.Order())}");
            matched += ours.Count;

            var namePattern = RandomString(random, namePatternAlphabet, 8);
            var expectedNames = ParseBulks(client.Call("COMMAND", "LIST", "FILTERBY", "PATTERN", namePattern)).ToHashSet(StringComparer.Ordinal);
            var ourNames = commandNames.Where(n => GlobPattern.IsMatch(Encoding.UTF8.GetBytes(namePattern), Encoding.UTF8.GetBytes(n), noCase: true)).ToHashSet(StringComparer.Ordinal);
            Assert.True(expectedNames.SetEquals(ourNames), $"COMMAND LIST FILTERBY PATTERN {namePattern}: redis {string.Join(' ', expectedNames.Order())} ours {string.Join(' ', ourNames.Order())}");
        }
        Assert.True(matched > 3000, $"only {matched} matches: the random patterns test too little");
    }

    private static string RandomString(Random random, string alphabet, int maxLength)
    {
        var chars = new char[random.Next(0, maxLength + 1)];
        for (int i = 0; i < chars.Length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
        return new string(chars);
    }

    /// <summary>The bulk strings of a flat RESP array reply.</summary>
    private static List<string> ParseBulks(string reply)
    {
        var lines = reply.Split("\r\n");
        Assert.StartsWith("*", lines[0]);
        int count = int.Parse(lines[0][1..]);
        var items = new List<string>(count);
        for (int i = 0; i < count; i++) items.Add(lines[2 + 2 * i]);
        return items;
    }
}
