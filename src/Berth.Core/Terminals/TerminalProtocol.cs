using System.Globalization;
using System.Text.Json;

namespace Berth.Core.Terminals;

/// <summary>A control message of the terminal protocol: a resize (client → server) or the shell's exit (server → client).</summary>
public sealed record TerminalControl(string Type, int Cols = 0, int Rows = 0, int? Code = null)
{
    public const string ResizeType = "resize";
    public const string ExitType = "exit";

    public bool IsResize => Type == ResizeType;
    public bool IsExit => Type == ExitType;
}

/// <summary>
/// The one framing every terminal WebSocket speaks (browser ⇄ manager, CLI ⇄ manager, manager ⇄ agent):
/// binary frames carry raw terminal bytes (keystrokes one way, output the other); text frames carry JSON
/// control messages, <c>{"type":"resize","cols":N,"rows":N}</c> from the client and <c>{"type":"exit","code":N}</c>
/// from the server just before it closes. Unknown control messages are ignored, so either side may add some.
/// </summary>
public static class TerminalProtocol
{
    public const int MinSize = 1;
    /// <summary>Anything larger is a mistake (or an attack on the terminal's memory); it is clamped.</summary>
    public const int MaxSize = 1000;
    public const int DefaultCols = 80;
    public const int DefaultRows = 24;

    public static string Resize(int cols, int rows) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"type":"resize","cols":{{ClampSize(cols)}},"rows":{{ClampSize(rows)}}}""");

    public static string Exit(int? code) =>
        code is { } c ? string.Create(CultureInfo.InvariantCulture, $$"""{"type":"exit","code":{{c}}}""") : """{"type":"exit","code":null}""";

    /// <summary>Reads a text frame; false for anything that is not a JSON object with a string <c>type</c>.</summary>
    public static bool TryParse(string text, out TerminalControl control)
    {
        control = new TerminalControl("");
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                return false;
            var kind = type.GetString()!;
            if (kind == TerminalControl.ResizeType)
            {
                if (!TryInt(root, "cols", out var cols) || !TryInt(root, "rows", out var rows) || cols < MinSize || rows < MinSize) return false;
                control = new TerminalControl(kind, ClampSize(cols), ClampSize(rows));
                return true;
            }
            if (kind == TerminalControl.ExitType)
            {
                control = new TerminalControl(kind, Code: TryInt(root, "code", out var code) ? code : null);
                return true;
            }
            control = new TerminalControl(kind);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A size from a query string: missing or unreadable is the default, out of range is clamped.</summary>
    public static int SizeOrDefault(int? value, int fallback) => value is { } v && v >= MinSize ? ClampSize(v) : fallback;

    public static int ClampSize(int value) => Math.Clamp(value, MinSize, MaxSize);

    private static bool TryInt(JsonElement root, string name, out int value)
    {
        value = 0;
        return root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out value);
    }
}
