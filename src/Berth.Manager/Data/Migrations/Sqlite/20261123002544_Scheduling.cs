using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Berth.Manager.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Scheduling : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ResourcePolicy",
                table: "users",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "BatchTimeoutSeconds",
                table: "sessions",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClusterMode",
                table: "sessions",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "ClusterSize",
                table: "sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "PinnedAgentId",
                table: "sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "QueuePosition",
                table: "sessions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResourceGroup",
                table: "sessions",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTime>(
                name: "StartsAt",
                table: "sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WaitReasonsJson",
                table: "sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Hostname",
                table: "kernels",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "agents",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ResourceGroup = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ControlUrl = table.Column<string>(type: "TEXT", nullable: true),
                    Architecture = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<string>(type: "TEXT", nullable: false),
                    CapacityJson = table.Column<string>(type: "TEXT", nullable: false),
                    ImagesJson = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RegisteredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastHeartbeatAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "resource_group_grants",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ResourceGroup = table.Column<string>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ProjectId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resource_group_grants", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "resource_groups",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: true),
                    Order = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Selection = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AllowInteractive = table.Column<bool>(type: "INTEGER", nullable: false),
                    AllowBatch = table.Column<bool>(type: "INTEGER", nullable: false),
                    PendingTimeoutSeconds = table.Column<double>(type: "REAL", nullable: true),
                    IsPublic = table.Column<bool>(type: "INTEGER", nullable: false),
                    LastRoundRobinAgentId = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resource_groups", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "resource_policies",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MaxConcurrentSessions = table.Column<int>(type: "INTEGER", nullable: true),
                    MaxTotalSlotsJson = table.Column<string>(type: "TEXT", nullable: true),
                    MaxPendingSessions = table.Column<int>(type: "INTEGER", nullable: true),
                    MaxContainersPerSession = table.Column<int>(type: "INTEGER", nullable: true),
                    MaxSessionLifetimeSeconds = table.Column<double>(type: "REAL", nullable: true),
                    MaxCustomizedImages = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resource_policies", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "resource_presets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    ResourceGroup = table.Column<string>(type: "TEXT", nullable: true),
                    SlotsJson = table.Column<string>(type: "TEXT", nullable: false),
                    ShmemBytes = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resource_presets", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_resource_group_grants_ResourceGroup_UserId_ProjectId",
                table: "resource_group_grants",
                columns: new[] { "ResourceGroup", "UserId", "ProjectId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_resource_presets_ResourceGroup_Name",
                table: "resource_presets",
                columns: new[] { "ResourceGroup", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agents");

            migrationBuilder.DropTable(
                name: "resource_group_grants");

            migrationBuilder.DropTable(
                name: "resource_groups");

            migrationBuilder.DropTable(
                name: "resource_policies");

            migrationBuilder.DropTable(
                name: "resource_presets");

            migrationBuilder.DropColumn(
                name: "ResourcePolicy",
                table: "users");

            migrationBuilder.DropColumn(
                name: "BatchTimeoutSeconds",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "ClusterMode",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "ClusterSize",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "PinnedAgentId",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "QueuePosition",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "ResourceGroup",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "StartsAt",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "WaitReasonsJson",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "Hostname",
                table: "kernels");
        }
    }
}
