using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Berth.Core.Problems;

namespace Berth.Core.Validation;

/// <summary>
/// The rules every request body obeys before any endpoint looks at it: each string field is a single line of
/// at most <see cref="DefaultMaxLength"/> characters without control characters (fields marked
/// <see cref="FreeTextAttribute"/> or <see cref="MaxLengthAttribute"/> say otherwise), no string carries a lone
/// UTF-16 surrogate, lists and maps hold at most <see cref="MaxItems"/> entries, and numbers are finite.
/// The field is named by its JSON path (<c>mounts[0].folder</c>). Endpoint-specific rules (what a name may look
/// like, which numbers are in range) come after this one.
/// </summary>
public static class RequestShape
{
    public const int DefaultMaxLength = 1024;
    public const int MaxItems = 10_000;
    public const int MaxKeyLength = 256;

    private static readonly ConcurrentDictionary<Type, Field[]> Fields = new();

    private sealed record Field(PropertyInfo Property, string JsonName, FreeTextAttribute? FreeText, int MaxLength);

    /// <summary>The first field that breaks a rule, or null. <paramref name="root"/> names the body when it is a bare value.</summary>
    public static Problem? Check(object? body, string root = "body") => Walk(body, root, null, DefaultMaxLength, depth: 0);

    /// <summary>One string, as a route or query value is checked: a single line of at most <paramref name="maxLength"/> characters.</summary>
    public static Problem? CheckLine(string? value, string field, int maxLength = DefaultMaxLength) =>
        value is null ? null : CheckString(value, field, null, maxLength);

    private static Problem? Walk(object? value, string path, FreeTextAttribute? freeText, int maxLength, int depth)
    {
        switch (value)
        {
            case null:
                return null;
            case string s:
                return CheckString(s, path, freeText, maxLength);
            case double d when !double.IsFinite(d):
                return Problem.Invalid(path, "number-invalid", "Give a finite number.");
            case float f when !float.IsFinite(f):
                return Problem.Invalid(path, "number-invalid", "Give a finite number.");
            case JsonElement:
                return null;
        }
        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || value is decimal or DateTime or DateTimeOffset or Guid or TimeSpan) return null;
        if (depth > 16) return Problem.Invalid(path, "too-deep", "The request nests deeper than any Berth request does.");
        if (value is IDictionary map)
        {
            if (map.Count > MaxItems) return TooMany(path, map.Count);
            foreach (DictionaryEntry entry in map)
            {
                var key = entry.Key as string ?? Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                if (CheckString(key, path, null, MaxKeyLength, isKey: true) is { } badKey) return badKey;
                if (Walk(entry.Value, $"{path}.{key}", freeText, maxLength, depth + 1) is { } bad) return bad;
            }
            return null;
        }
        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                if (i >= MaxItems) return TooMany(path, i + 1);
                if (Walk(item, $"{path}[{i}]", freeText, maxLength, depth + 1) is { } bad) return bad;
                i++;
            }
            return null;
        }
        if (type.Namespace?.StartsWith("Berth.", StringComparison.Ordinal) != true) return null;
        foreach (var field in FieldsOf(type))
        {
            var child = path is "body" or "" ? field.JsonName : $"{path}.{field.JsonName}";
            if (Walk(field.Property.GetValue(value), child, field.FreeText, field.MaxLength, depth + 1) is { } bad) return bad;
        }
        return null;
    }

    private static Problem? CheckString(string s, string field, FreeTextAttribute? freeText, int maxLength, bool isKey = false)
    {
        var what = isKey ? "A key of " + field : field;
        var max = freeText?.MaxLength ?? maxLength;
        if (s.Length > max)
            return Problem.Invalid(field, "too-long", $"{what} is {s.Length} characters long; at most {max} are accepted.");
        if (ProblemText.IndexOfLoneSurrogate(s) is >= 0 and var at)
            return Problem.Invalid(field, "text-invalid", $"{what} has an unpaired UTF-16 surrogate at character {at}.");
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (!ProblemText.IsControl(c)) continue;
            if (c == '\0' && freeText?.AnyControl == true) continue; // stripped where it is stored
            if (freeText is not null && (freeText.AnyControl || c is '\n' or '\r' or '\t')) continue;
            return Problem.Invalid(field, "control-character",
                $"{what} contains a control character (U+{(int)c:X4}) at character {i}: {ProblemText.Quote(s)}. Only printable text is accepted here.");
        }
        return null;
    }

    private static Problem TooMany(string path, int count) =>
        Problem.Invalid(path, "too-many-items", $"{path} has {count} or more entries; at most {MaxItems} are accepted.");

    private static Field[] FieldsOf(Type type) => Fields.GetOrAdd(type, t => t
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead && p.Name != "EqualityContract")
        .Select(p => new Field(p, JsonNamingPolicy.CamelCase.ConvertName(p.Name), p.GetCustomAttribute<FreeTextAttribute>(),
            p.GetCustomAttribute<MaxLengthAttribute>()?.MaxLength ?? DefaultMaxLength))
        .ToArray());
}
