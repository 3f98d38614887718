using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Berth.Manager.Data;

// Used only by `dotnet ef migrations add`; the connection strings are never opened.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteBerthDbContext>
{
    public SqliteBerthDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteBerthDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresBerthDbContext>
{
    public PostgresBerthDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresBerthDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
