using System.CommandLine;

namespace Berth.Cli.Commands;

internal static class IdempotencyOption
{
    /// <summary>
    /// <c>--idempotency-key</c>: the client always sends a fresh key and retries a lost answer with it; a script that
    /// passes its own key can also re-run the whole command after a crash and get the first result back.
    /// </summary>
    public static Option<string> Create() => new("--idempotency-key")
    {
        Description = "Make re-running this command safe: the same key within 24 h returns what the first run created (default: a fresh key per run)",
        HelpName = "KEY",
    };
}
