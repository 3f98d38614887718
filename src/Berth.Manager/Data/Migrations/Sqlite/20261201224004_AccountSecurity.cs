using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Berth.Manager.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AccountSecurity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Keypairs made before this migration kept their secret in plain text, so every copy of the database
            // taken until now can sign requests with them. Encrypting them in place would not undo that; they are
            // revoked instead, and each user runs `berth login` once more.
            migrationBuilder.Sql("DELETE FROM keypairs;");

            migrationBuilder.DropColumn(
                name: "SecretKey",
                table: "keypairs");

            migrationBuilder.AddColumn<DateTime>(
                name: "ExpiresAt",
                table: "keypairs",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<string>(
                name: "CreatedFrom",
                table: "keypairs",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Label",
                table: "keypairs",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastUsedAt",
                table: "keypairs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SecretCipher",
                table: "keypairs",
                type: "TEXT",
                maxLength: 256,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    Action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ClientAddress = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_events", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_Action_At",
                table: "audit_events",
                columns: new[] { "Action", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_At",
                table: "audit_events",
                column: "At");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropColumn(
                name: "CreatedFrom",
                table: "keypairs");

            migrationBuilder.DropColumn(
                name: "Label",
                table: "keypairs");

            migrationBuilder.DropColumn(
                name: "LastUsedAt",
                table: "keypairs");

            migrationBuilder.DropColumn(
                name: "SecretCipher",
                table: "keypairs");

            migrationBuilder.DropColumn(
                name: "ExpiresAt",
                table: "keypairs");

            // The encrypted secrets cannot go back to plain text: going down logs everyone out.
            migrationBuilder.Sql("DELETE FROM keypairs;");

            migrationBuilder.AddColumn<string>(
                name: "SecretKey",
                table: "keypairs",
                type: "TEXT",
                nullable: false,
                defaultValue: "");
        }
    }
}
