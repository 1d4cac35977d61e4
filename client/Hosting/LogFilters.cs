using Microsoft.Extensions.Logging;

namespace OrleansLua.Client.Hosting;

/// <summary>Orleans lines that would flood the log of a silo or gateway, and what says it better instead.</summary>
public static class LogFilters
{
    public static void Apply(ILoggingBuilder logging)
    {
        // Orleans' placement logs two Polly lines per activation at Information: 16384 slots would flood the log.
        logging.AddFilter("Polly", LogLevel.Warning);
        // A call that runs long gets "Received status update for pending request" every few seconds at
        // Information; SlotActivity logs one warning naming the slot and the command instead.
        logging.AddFilter("Orleans.Runtime.InsideRuntimeClient", LogLevel.Warning);
        logging.AddFilter("Orleans.OutsideRuntimeClient", LogLevel.Warning);
    }
}
