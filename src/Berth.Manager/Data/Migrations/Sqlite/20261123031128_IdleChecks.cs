using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Berth.Manager.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IdleChecks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IdleExempt",
                table: "sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "IdleExtendedUntil",
                table: "sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastActivityAt",
                table: "sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IdleChecksJson",
                table: "resource_policies",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IdleChecksJson",
                table: "resource_groups",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IdleExempt",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "IdleExtendedUntil",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "LastActivityAt",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "IdleChecksJson",
                table: "resource_policies");

            migrationBuilder.DropColumn(
                name: "IdleChecksJson",
                table: "resource_groups");
        }
    }
}
