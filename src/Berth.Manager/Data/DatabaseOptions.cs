using System.ComponentModel.DataAnnotations;

namespace Berth.Manager.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>sqlite</c> (embedded default) or <c>postgres</c> (several managers, many nodes).</summary>
    [Required, RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Database:Provider must be 'sqlite' or 'postgres'.")]
    public string Provider { get; set; } = "sqlite";

    [Required(ErrorMessage = "Database:ConnectionString is required.")]
    public string ConnectionString { get; set; } = "";
}
