namespace OrleansLua.Client.Hosting;

/// <summary>
/// Process-wide runtime choices, made first thing in Main (the socket engine reads them once, when the first
/// socket is created). Their effect is measured in docs/performance.md.
/// </summary>
public static class RuntimeTuning
{
    /// <summary>
    /// Socket completions run on the socket engine's threads instead of being queued to the thread pool: a
    /// request is parsed, run on a local slot and answered on the thread that saw it arrive, with no hop. Code
    /// that may run long (a script) moves to the pool itself (<c>ShardGrain.TryExecute</c>). The price: code on
    /// a completion must never block on other I/O (no <c>.Result</c>, <c>.Wait()</c>), since the blocked thread
    /// may be the one that would deliver it. An operator's own value of the variable wins, so "0" turns it off.
    /// </summary>
    public const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Apply()
    {
        if (Environment.GetEnvironmentVariable(InlineSocketCompletions) is null)
            Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
    }
}
