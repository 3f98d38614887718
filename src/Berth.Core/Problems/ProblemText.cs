using System.Globalization;
using System.Text;

namespace Berth.Core.Problems;

/// <summary>
/// How a rule quotes what a user sent. A bad value may be megabytes long or carry newlines that would forge
/// lines in a log or a terminal; a problem's detail only ever shows a short prefix with every control
/// character escaped, so the person can still recognise their input.
/// </summary>
public static class ProblemText
{
    public const int DefaultMax = 64;

    /// <summary>
    /// <c>'abc'</c>; control characters (and the quote itself) escaped as <c>\n</c>, <c>\t</c>, <c>\u0000</c>…;
    /// a value longer than <paramref name="max"/> characters cut there and marked <c>…' (N characters)</c>.
    /// </summary>
    public static string Quote(string? value, int max = DefaultMax)
    {
        if (value is null) return "null";
        var builder = new StringBuilder(Math.Min(value.Length, max) + 8).Append('\'');
        builder.Append(Escape(value.Length > max ? value[..max] : value, quote: true));
        builder.Append('\'');
        if (value.Length > max)
            builder.Insert(builder.Length - 1, '…').Append(CultureInfo.InvariantCulture, $" ({value.Length} characters)");
        return builder.ToString();
    }

    /// <summary>
    /// Every control character (C0, DEL, C1, line and paragraph separators) and every surrogate as an escape
    /// (and the apostrophe, with <paramref name="quote"/>); the text is otherwise unchanged.
    /// </summary>
    public static string Escape(string value, bool quote = false)
    {
        bool NeedsEscape(char c) => (quote && c == '\'') || IsControl(c) || char.IsSurrogate(c);
        if (!value.Any(NeedsEscape)) return value;
        var builder = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            if (!NeedsEscape(c)) { builder.Append(c); continue; }
            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\'' => "\\'",
                _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
            });
        }
        return builder.ToString();
    }

    /// <summary>Cuts a sentence that is already safe (no raw input beyond quoted prefixes) to at most <paramref name="max"/> characters.</summary>
    public static string Limit(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>C0 and C1 controls, DEL, and the Unicode line and paragraph separators (which some viewers treat as line breaks).</summary>
    public static bool IsControl(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    /// <summary>A UTF-16 surrogate without its pair: JSON can carry one (<c>"\ud800"</c>) but no database text column can store it.</summary>
    public static int IndexOfLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            if (char.IsSurrogate(value[i])) return i;
        }
        return -1;
    }
}
