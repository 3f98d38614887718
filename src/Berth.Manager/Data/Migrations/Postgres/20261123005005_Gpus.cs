using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Berth.Manager.Data.Migrations.Postgres
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
                type: "integer",
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
