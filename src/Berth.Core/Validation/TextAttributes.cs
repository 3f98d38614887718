namespace Berth.Core.Validation;

/// <summary>
/// Marks a request field that holds free text rather than a name: it may be up to <see cref="MaxLength"/>
/// characters and span lines (newline, carriage return and tab are allowed; other control characters and NUL
/// are not, unless <see cref="AnyControl"/>). Every field without it is a single line of at most
/// <see cref="RequestShape.DefaultMaxLength"/> characters with no control characters at all.
/// For a list or a map, the rule applies to each item or value.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FreeTextAttribute(int maxLength) : Attribute
{
    public int MaxLength { get; } = maxLength;

    /// <summary>Text a machine produced (a container's log tail): any character but NUL, which the manager strips.</summary>
    public bool AnyControl { get; init; }
}

/// <summary>A single-line field longer than the default: <see cref="MaxLength"/> characters at most.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxLengthAttribute(int maxLength) : Attribute
{
    public int MaxLength { get; } = maxLength;
}
