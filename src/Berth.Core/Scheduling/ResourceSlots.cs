using Berth.Core.Problems;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Berth.Core.Units;

namespace Berth.Core.Scheduling;

/// <summary>
/// Amounts of named resources, Backend.AI's "resource slots": <c>cpu</c> (cores), <c>mem</c> (bytes; a
/// session's shared memory lies inside it) and <c>cuda.device</c> (whole GPUs), plus any other slot name.
/// Immutable. A slot that is not named counts as 0 in arithmetic, comparisons and equality
/// (<c>cpu=1</c> equals <c>cpu=1 cuda.device=0</c>), but a slot named with 0 is kept in <see cref="Names"/>,
/// so a limit can say "no GPUs" (see <see cref="SlotsOver"/>). Arithmetic may produce negative amounts.
/// </summary>
public readonly partial record struct ResourceSlots
{
    public const string Cpu = "cpu";
    public const string Mem = "mem";
    public const string CudaDevice = "cuda.device";

    private static readonly IReadOnlyDictionary<string, decimal> Empty = new Dictionary<string, decimal>(StringComparer.Ordinal);

    private readonly IReadOnlyDictionary<string, decimal>? _slots;

    /// <summary>Copies <paramref name="slots"/>; slot names must be lowercase names such as <c>cpu</c> or <c>cuda.device</c>.</summary>
    public ResourceSlots(IReadOnlyDictionary<string, decimal> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        var copy = new Dictionary<string, decimal>(slots.Count, StringComparer.Ordinal);
        foreach (var (name, amount) in slots)
        {
            if (!IsValidName(name))
                throw new ArgumentException($"'{name}' is not a valid slot name: use lowercase letters, digits, '_', '-' and dots.", nameof(slots));
            copy[name] = amount;
        }
        _slots = copy;
    }

    private ResourceSlots(Dictionary<string, decimal> owned, bool _) => _slots = owned;

    /// <summary>No resources at all.</summary>
    public static ResourceSlots Zero => default;

    /// <summary>The slots as given (slots named with 0 included).</summary>
    public IReadOnlyDictionary<string, decimal> Slots => _slots ?? Empty;

    /// <summary>The slot names given, in display order (cpu, mem, cuda.device, then the rest by name).</summary>
    public IReadOnlyList<string> Names => [.. Slots.Keys.OrderBy(DisplayRank).ThenBy(n => n, StringComparer.Ordinal)];

    /// <summary>The amount of <paramref name="name"/>; 0 when it is not named.</summary>
    public decimal this[string name] => Slots.TryGetValue(name, out var v) ? v : 0m;

    public decimal CpuCores => this[Cpu];
    public decimal MemoryBytes => this[Mem];
    public decimal CudaDevices => this[CudaDevice];

    /// <summary>True when every slot is 0.</summary>
    public bool IsZero => Slots.Values.All(v => v == 0m);

    /// <summary>True when the slot is named (even with 0).</summary>
    public bool Has(string name) => Slots.ContainsKey(name);

    public static ResourceSlots Of(params (string Name, decimal Amount)[] slots) =>
        new(slots.ToDictionary(s => s.Name, s => s.Amount, StringComparer.Ordinal));

    /// <summary>
    /// A session's request: <paramref name="cpu"/> cores, <paramref name="memoryBytes"/> of memory and
    /// <paramref name="cudaDevices"/> GPUs (omitted when 0). Shared memory is part of the memory, not a slot
    /// of its own: <paramref name="shmemBytes"/> is only checked to lie within <paramref name="memoryBytes"/>.
    /// </summary>
    public static ResourceSlots ForSession(double cpu, long memoryBytes, long shmemBytes = 0, int cudaDevices = 0)
    {
        if (!double.IsFinite(cpu) || cpu < 0) throw new ArgumentOutOfRangeException(nameof(cpu), cpu, "CPU must be a finite number of at least 0.");
        ArgumentOutOfRangeException.ThrowIfNegative(memoryBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(shmemBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(cudaDevices);
        if (shmemBytes > memoryBytes)
            throw new ArgumentOutOfRangeException(nameof(shmemBytes), shmemBytes, "Shared memory lies inside the session's memory and cannot be larger than it.");
        var slots = new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            [Cpu] = Math.Round((decimal)cpu, 6),
            [Mem] = memoryBytes,
        };
        if (cudaDevices > 0) slots[CudaDevice] = cudaDevices;
        return new ResourceSlots(slots, true);
    }

    /// <summary>The request of a session whose resources <see cref="Sessions.ResourceRules.Resolve"/> settled.</summary>
    public static ResourceSlots ForSession(Sessions.ResolvedResources resources, int cudaDevices = 0)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return ForSession(resources.Cpu, resources.MemoryBytes, resources.ShmemBytes, cudaDevices);
    }

    private static ResourceSlots Combine(ResourceSlots a, ResourceSlots b, Func<decimal, decimal, decimal> op)
    {
        var result = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var name in a.Slots.Keys.Union(b.Slots.Keys, StringComparer.Ordinal))
            result[name] = op(a[name], b[name]);
        return new ResourceSlots(result, true);
    }

    public static ResourceSlots operator +(ResourceSlots a, ResourceSlots b) => Combine(a, b, (x, y) => x + y);
    public static ResourceSlots operator -(ResourceSlots a, ResourceSlots b) => Combine(a, b, (x, y) => x - y);

    /// <summary>Per slot, the larger amount.</summary>
    public static ResourceSlots Max(ResourceSlots a, ResourceSlots b) => Combine(a, b, Math.Max);

    /// <summary>Per slot, the smaller amount.</summary>
    public static ResourceSlots Min(ResourceSlots a, ResourceSlots b) => Combine(a, b, Math.Min);

    /// <summary>Sum of many.</summary>
    public static ResourceSlots Sum(IEnumerable<ResourceSlots> items) => items.Aggregate(Zero, (acc, x) => acc + x);

    /// <summary>Only the named slots (missing ones become 0-valued names).</summary>
    public ResourceSlots Only(IEnumerable<string> names)
    {
        var self = this;
        return new ResourceSlots(names.Distinct(StringComparer.Ordinal).ToDictionary(n => n, n => self[n], StringComparer.Ordinal), true);
    }

    /// <summary>True when no slot is above the same slot of <paramref name="capacity"/> (a slot <paramref name="capacity"/> does not name has 0).</summary>
    public bool FitsIn(ResourceSlots capacity) => SlotsOver(capacity).Count == 0;

    /// <summary>
    /// The slots, in display order, where this is above <paramref name="limit"/>. With
    /// <paramref name="unnamedIsUnlimited"/>, a slot <paramref name="limit"/> does not name is not limited
    /// (as in a keypair policy); otherwise it counts as 0 (as on an agent without GPUs).
    /// </summary>
    public IReadOnlyList<string> SlotsOver(ResourceSlots limit, bool unnamedIsUnlimited = false)
    {
        var self = this;
        return [.. Names.Where(n => self[n] > limit[n] && (!unnamedIsUnlimited || limit.Has(n)))];
    }

    /// <summary>
    /// The largest share of <paramref name="total"/> this takes on any one slot (used / total), ignoring slots
    /// whose total is 0 or less: the "dominant share" of dominant resource fairness. 0 when nothing counts.
    /// </summary>
    public decimal DominantShare(ResourceSlots total)
    {
        var share = 0m;
        foreach (var (name, used) in Slots)
        {
            var t = total[name];
            if (t <= 0m) continue;
            share = Math.Max(share, used / t);
        }
        return share;
    }

    public bool Equals(ResourceSlots other)
    {
        foreach (var name in Slots.Keys.Union(other.Slots.Keys, StringComparer.Ordinal))
            if (this[name] != other[name]) return false;
        return true;
    }

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (name, amount) in Slots.Where(s => s.Value != 0m).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            hash.Add(name, StringComparer.Ordinal);
            hash.Add(amount); // decimal hashes equal values (1.0 and 1) alike
        }
        return hash.ToHashCode();
    }

    public override string ToString() => Format();

    // ---- text ----------------------------------------------------------------------------------

    [GeneratedRegex(@"\A[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*\z")]
    private static partial Regex NamePattern();

    public static bool IsValidName(string? name) => name is not null && name.Length <= 64 && NamePattern().IsMatch(name);

    /// <summary>True for slots measured in bytes (<c>mem</c>, <c>*.mem</c>): they are written and read with k/m/g/t suffixes.</summary>
    public static bool IsByteSlot(string name) => name == Mem || name.EndsWith(".mem", StringComparison.Ordinal);

    /// <summary>
    /// <c>cpu=2 mem=4g cuda.device=1</c>: slots in display order; byte slots with the largest binary unit
    /// that keeps at most two decimals (<c>1.5g</c>, <c>512m</c>), so <see cref="Parse"/> reads it back exactly.
    /// <c>none</c> when no slot is named.
    /// </summary>
    public string Format()
    {
        if (Slots.Count == 0) return "none";
        var text = new StringBuilder();
        foreach (var name in Names)
        {
            if (text.Length > 0) text.Append(' ');
            text.Append(name).Append('=').Append(FormatAmount(name, this[name]));
        }
        return text.ToString();
    }

    /// <summary>One amount as <see cref="Format"/> writes it.</summary>
    public static string FormatAmount(string name, decimal amount)
    {
        if (!IsByteSlot(name) || amount != decimal.Truncate(amount) || amount == 0m) return Number(amount);
        var magnitude = Math.Abs(amount);
        (char Suffix, int Shift)[] units = [('p', 50), ('t', 40), ('g', 30), ('m', 20), ('k', 10)];
        foreach (var (suffix, shift) in units)
        {
            decimal unit = 1L << shift;
            if (magnitude < unit) continue;
            var scaled = amount / unit;
            if (scaled * 100m == decimal.Truncate(scaled * 100m)) return Number(scaled) + suffix;
        }
        return Number(amount);
    }

    private static string Number(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    /// <summary>Reads what <see cref="Format"/> writes: <c>name=amount</c> pairs separated by spaces or commas; empty or <c>none</c> is no slots.</summary>
    public static bool TryParse(string? text, out ResourceSlots slots) => TryParse(text, out slots, out _);

    /// <param name="error">Why the text was refused, in words; null on success.</param>
    public static bool TryParse(string? text, out ResourceSlots slots, out string? error)
    {
        slots = Zero;
        error = null;
        if (text is null) { error = "no resource slots were given."; return false; }
        var trimmed = text.Trim();
        var result = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (trimmed.Length == 0 || trimmed.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            slots = new ResourceSlots(result, true);
            return true;
        }
        foreach (var part in trimmed.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) { error = $"{ProblemText.Quote(part)} is not a slot: write name=amount, e.g. cpu=2 or mem=4g."; return false; }
            var name = part[..eq].ToLowerInvariant();
            var value = part[(eq + 1)..];
            if (!IsValidName(name)) { error = $"{ProblemText.Quote(part[..eq])} is not a slot name: use names such as cpu, mem or cuda.device."; return false; }
            if (result.ContainsKey(name)) { error = $"the slot '{name}' is given twice."; return false; }
            decimal amount;
            if (IsByteSlot(name))
            {
                if (!ByteSize.TryParse(value, out var bytes)) { error = $"{ProblemText.Quote(value)} is not a size for {name}: use bytes or a size such as 512m or 4g."; return false; }
                amount = bytes;
            }
            else if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount))
            {
                error = $"{ProblemText.Quote(value)} is not an amount for {name}: use a number of 0 or more, such as 2 or 0.5.";
                return false;
            }
            result[name] = amount;
        }
        slots = new ResourceSlots(result, true);
        return true;
    }

    /// <exception cref="FormatException">The text is not a list of slots.</exception>
    public static ResourceSlots Parse(string text) =>
        TryParse(text, out var slots, out var error) ? slots : throw new FormatException("Cannot read resource slots: " + error);

    private static int DisplayRank(string name) => name switch
    {
        Cpu => 0,
        Mem => 1,
        CudaDevice => 2,
        _ => 3,
    };
}
