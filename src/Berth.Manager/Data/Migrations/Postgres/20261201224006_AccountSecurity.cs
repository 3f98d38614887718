using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Berth.Manager.Data.Migrations.Postgres
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

            migrationBuilder.AddColumn<string>(
                name: "CreatedFrom",
                table: "keypairs",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ExpiresAt",
                table: "keypairs",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<string>(
                name: "Label",
                table: "keypairs",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastUsedAt",
                table: "keypairs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SecretCipher",
                table: "keypairs",
                type: "character varying(256)",
                maxLength: 256,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: true),
                    Email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    Action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Target = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ClientAddress = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Detail = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true)
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
                name: "ExpiresAt",
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

            // The encrypted secrets cannot go back to plain text: going down logs everyone out.
            migrationBuilder.Sql("DELETE FROM keypairs;");

            migrationBuilder.AddColumn<string>(
                name: "SecretKey",
                table: "keypairs",
                type: "text",
                nullable: false,
                defaultValue: "");
        }
    }
}
