using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Berth.Manager.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Gpus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CudaDevices",
                table: "sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CudaDevices",
                table: "sessions");
        }
    }
}
