using static OrleansLua.GrainInterfaces.Commands.CommandRouting;

namespace OrleansLua.GrainInterfaces.Commands;

public static partial class CommandTable
{
    // scripting
    private static CommandSpec[] ScriptingSpecs() =>
    [
        Cmd("eval", -3, "noscript skip_monitor may_replicate no_mandatory_keys stale", ScriptKeys, Slot, "scripting", "2.6.0", "Executes a server-side Lua script."),
        Cmd("evalsha", -3, "noscript skip_monitor may_replicate no_mandatory_keys stale", ScriptKeys, Slot, "scripting", "2.6.0", "Executes a server-side Lua script by SHA1 digest."),
        Cmd("eval_ro", -3, "-@read readonly noscript skip_monitor no_mandatory_keys stale", ScriptKeys, Slot, "scripting", "7.0.0", "Executes a read-only server-side Lua script."),
        Cmd("evalsha_ro", -3, "-@read readonly noscript skip_monitor no_mandatory_keys stale", ScriptKeys, Slot, "scripting", "7.0.0", "Executes a read-only server-side Lua script by SHA1 digest."),
        Cmd("fcall", -3, "noscript skip_monitor may_replicate no_mandatory_keys stale", FunctionKeys, Slot, "scripting", "7.0.0", "Invokes a function."),
        Cmd("fcall_ro", -3, "-@read readonly noscript skip_monitor no_mandatory_keys stale", FunctionKeys, Slot, "scripting", "7.0.0", "Invokes a read-only function."),
        Cmd("function", -2, "", NoKeys, Connection, "scripting", "7.0.0", "A container for function commands.", subcommands:
        [
            Cmd("function|load", -3, "noscript write denyoom", NoKeys, Connection, "scripting", "7.0.0", "Creates a library."),
            Cmd("function|delete", 3, "noscript write", NoKeys, Connection, "scripting", "7.0.0", "Deletes a library and its functions."),
            Cmd("function|flush", -2, "noscript write", NoKeys, Connection, "scripting", "7.0.0", "Deletes all libraries and functions."),
            Cmd("function|list", -2, "noscript", NoKeys, Connection, "scripting", "7.0.0", "Returns information about all libraries."),
            Cmd("function|stats", 2, "noscript allow_busy", NoKeys, Connection, "scripting", "7.0.0", "Returns information about a function during execution."),
            Cmd("function|kill", 2, "noscript allow_busy", NoKeys, Connection, "scripting", "7.0.0", "Terminates a function during execution."),
            Cmd("function|dump", 2, "noscript", NoKeys, Connection, "scripting", "7.0.0", "Dumps all libraries into a serialized binary payload."),
            Cmd("function|restore", -3, "noscript write denyoom", NoKeys, Connection, "scripting", "7.0.0", "Restores all libraries from a payload."),
            Cmd("function|help", 2, "loading stale", NoKeys, Connection, "scripting", "7.0.0", "Returns helpful text about the different subcommands."),
        ]),
        Cmd("script", -2, "", NoKeys, Connection, "scripting", "2.6.0", "A container for Lua scripts management commands.", subcommands:
        [
            Cmd("script|load", 3, "noscript stale", NoKeys, Connection, "scripting", "2.6.0", "Loads a server-side Lua script to the script cache."),
            Cmd("script|exists", -3, "noscript", NoKeys, Connection, "scripting", "2.6.0", "Determines whether server-side Lua scripts exist in the script cache."),
            Cmd("script|flush", -2, "noscript", NoKeys, Connection, "scripting", "2.6.0", "Removes all server-side Lua scripts from the script cache."),
            Cmd("script|kill", 2, "noscript allow_busy", NoKeys, Connection, "scripting", "2.6.0", "Terminates a server-side Lua script during execution."),
            Cmd("script|help", 2, "noscript loading stale", NoKeys, Connection, "scripting", "5.0.0", "Returns helpful text about the different subcommands."),
        ]),
    ];
}
