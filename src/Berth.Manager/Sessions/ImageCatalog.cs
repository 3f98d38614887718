using Berth.Core.Images;
using System.Globalization;
using System.Text.Json;
using Berth.Core.Agents;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Sessions;

/// <summary>
/// The environments users can launch. Entries come from images present on agents; their labels
/// (written by Berth's own image builder, or by whoever built an imported image) give the minimum
/// resources, preferred shared memory and service ports.
/// </summary>
public sealed class ImageCatalog(BerthDbContext db, IAgentDirectory agents, TimeProvider clock)
{

    public async Task<IReadOnlyList<ImageDto>> ListAsync(Caller caller, CancellationToken ct)
    {
        var images = await Visible(caller).Include(i => i.OwnerUser).OrderBy(i => i.Name).ToListAsync(ct);
        return images.Select(ToDto).ToList();
    }

    /// <summary>Finds what a user asked for by catalog name, reference or id.</summary>
    public async Task<ImageEntity> ResolveAsync(Caller caller, string? reference, string field, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reference))
            throw Problem.Invalid(field, "required", "Name the image (environment) to run; `berth image list` shows them.").ToException();
        var candidates = await Visible(caller).Where(i => i.Name == reference || i.Reference == reference).ToListAsync(ct);
        // A user's own customized image shadows a public one of the same name.
        var match = candidates.OrderBy(i => i.OwnerUserId is null ? 1 : 0).FirstOrDefault()
                    ?? (Guid.TryParse(reference, out var id) ? await Visible(caller).FirstOrDefaultAsync(i => i.Id == id, ct) : null);
        return match ?? throw Problem.NotFound("image-not-found",
            $"There is no image {ProblemText.Quote(reference)} you can use; `berth image list` shows them, and an admin can add one with `berth image import`.", field).ToException();
    }

    public async Task<ImageDto> ImportAsync(Caller caller, ImportImageRequest request, CancellationToken ct)
    {
        caller.RequireAdmin();
        // Checked here, not left to the engine: Docker answers a bad reference with its own 400, which is no rule of ours.
        if (ImageReferenceRules.Check(request.Reference) is { } bad) throw bad.ToException();
        var name = string.IsNullOrWhiteSpace(request.Name) ? DefaultName(request.Reference!) : request.Name.Trim();
        if (name.Length > 128 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            throw Problem.Invalid("name", "name-invalid", "Image names are at most 128 characters without spaces or control characters.").ToException();
        request = request with { Reference = request.Reference!.Trim() };

        var info = await InspectOnAnyAgentAsync(request.Reference, ct)
                   ?? throw Problem.NotFound("image-not-present",
                       $"No agent has the image {ProblemText.Quote(request.Reference)}. Build it (`berth image build`) or load it into the Docker engine first (`docker pull` / `docker load`).",
                       "reference").ToException();
        var entity = await UpsertPublicAsync(name, request.Reference, info, ct);
        await db.SaveChangesAsync(ct);
        return ToDto(entity);
    }

    private Task<ImageInfo?> InspectOnAnyAgentAsync(string reference, CancellationToken ct) => InspectOnAsync(agents.All, reference, ct);

    private static async Task<ImageInfo?> InspectOnAsync(IReadOnlyList<IAgentControl> on, string reference, CancellationToken ct)
    {
        foreach (var agent in on)
            if (await agent.InspectImageAsync(reference, ct) is { } info) return info;
        return null;
    }

    /// <summary>The public catalog entry <paramref name="name"/>, created or refreshed from what an agent reports of the image.</summary>
    private async Task<ImageEntity> UpsertPublicAsync(string name, string reference, ImageInfo info, CancellationToken ct)
    {
        var entity = await db.Images.FirstOrDefaultAsync(i => i.OwnerUserId == null && i.Name == name, ct);
        if (entity is null)
        {
            entity = new ImageEntity { Id = Guid.NewGuid(), Name = name, Reference = reference, Architecture = info.Architecture };
            db.Images.Add(entity);
        }
        Describe(entity, info);
        entity.Reference = reference;
        entity.RegisteredAt = clock.GetUtcNow().UtcDateTime;
        return entity;
    }

    /// <summary>
    /// Owners delete their customized images, admins any image: the catalog entry goes, and every agent is asked to
    /// remove the Docker image (one still used by a container stays until that is gone; sessions already created keep
    /// running). The Docker image is kept when another catalog entry still names the same reference.
    /// </summary>
    public async Task<ImageDto> DeleteAsync(Caller caller, string reference, CancellationToken ct)
    {
        var query = caller.IsAdmin ? db.Images : Visible(caller);
        var candidates = await query.Include(i => i.OwnerUser)
            .Where(i => i.Name == reference || i.Reference == reference).ToListAsync(ct);
        var image = candidates.OrderBy(i => i.OwnerUserId == caller.UserId ? 0 : i.OwnerUserId is null ? 1 : 2).FirstOrDefault()
                    ?? (Guid.TryParse(reference, out var id) ? await query.Include(i => i.OwnerUser).FirstOrDefaultAsync(i => i.Id == id, ct) : null)
                    ?? throw Problem.NotFound("image-not-found", $"There is no image {ProblemText.Quote(reference)} you can use; `berth image list` shows them.", "image").ToException();
        if (image.OwnerUserId != caller.UserId && !caller.IsAdmin)
            throw Problem.Forbidden("image-not-owned", $"Image '{image.Name}' is not yours; you can delete only your customized images.", "image").ToException();
        var dto = ToDto(image);
        db.Images.Remove(image);
        await db.SaveChangesAsync(ct);
        if (!await db.Images.AnyAsync(i => i.Reference == image.Reference, ct))
        {
            foreach (var agent in agents.All)
            {
                try { await agent.RemoveImageAsync(image.Reference, ct); }
                catch (BerthProblemException) { } // an agent that is away keeps the Docker image; the catalog entry is gone
            }
        }
        return dto;
    }

    /// <summary>
    /// Puts Berth's own base images in the catalog when an agent has them, so a fresh install can launch
    /// `minimal` and `python` without an admin step. Returns the names registered.
    /// </summary>
    public Task<IReadOnlyList<string>> RegisterBuiltinsAsync(IReadOnlyDictionary<string, string> builtins, CancellationToken ct) =>
        RegisterBuiltinsAsync(builtins, agents.All, ct);

    /// <summary>As <see cref="RegisterBuiltinsAsync(IReadOnlyDictionary{string, string}, CancellationToken)"/>, asking only <paramref name="on"/>.</summary>
    public async Task<IReadOnlyList<string>> RegisterBuiltinsAsync(IReadOnlyDictionary<string, string> builtins, IReadOnlyList<IAgentControl> on, CancellationToken ct)
    {
        var registered = new List<string>();
        foreach (var (name, reference) in builtins)
        {
            if (await InspectOnAsync(on, reference, ct) is not { } info) continue;
            await UpsertPublicAsync(name, reference, info, ct);
            registered.Add(name);
        }
        await db.SaveChangesAsync(ct);
        return registered;
    }

    public static void Describe(ImageEntity entity, ImageInfo info)
    {
        entity.Architecture = info.Architecture;
        entity.MinCpu = Label(info, BerthImageLabels.MinCpu, 0.1, s => double.Parse(s, CultureInfo.InvariantCulture));
        entity.MinMemoryBytes = Label(info, BerthImageLabels.MinMemory, 16L * 1024 * 1024, s => long.Parse(s, CultureInfo.InvariantCulture));
        entity.PreferredShmemBytes = Label(info, BerthImageLabels.PreferredShmem, 64L * 1024 * 1024, s => long.Parse(s, CultureInfo.InvariantCulture));
        entity.ServicePortsJson = JsonSerializer.Serialize(ParsePorts(info.Labels.GetValueOrDefault(BerthImageLabels.ServicePorts)));
        entity.LabelsJson = JsonSerializer.Serialize(info.Labels);
    }

    private static T Label<T>(ImageInfo info, string key, T fallback, Func<string, T> parse)
    {
        if (!info.Labels.TryGetValue(key, out var text)) return fallback;
        try { return parse(text); }
        catch (FormatException) { return fallback; }
    }

    /// <summary><c>name:protocol:port</c> pairs separated by commas, as Backend.AI images declare them.</summary>
    public static List<ServicePortDto> ParsePorts(string? label) => BerthImageLabels.ParseServicePorts(label);

    private static string DefaultName(string reference)
    {
        var withoutTag = reference.Split('@')[0];
        var lastSlash = withoutTag.LastIndexOf('/');
        var colon = withoutTag.LastIndexOf(':');
        if (colon > lastSlash) withoutTag = withoutTag[..colon];
        return withoutTag[(lastSlash + 1)..];
    }

    private IQueryable<ImageEntity> Visible(Caller caller) =>
        db.Images.Where(i => i.OwnerUserId == null || i.OwnerUserId == caller.UserId);

    public static ImageDto ToDto(ImageEntity i) => new(i.Id, i.Name, i.Reference, i.Architecture, i.MinCpu, i.MinMemoryBytes,
        i.PreferredShmemBytes, JsonSerializer.Deserialize<List<ServicePortDto>>(i.ServicePortsJson) ?? [],
        JsonSerializer.Deserialize<Dictionary<string, string>>(i.LabelsJson) ?? [], i.OwnerUser?.Email,
        new DateTimeOffset(DateTime.SpecifyKind(i.RegisteredAt, DateTimeKind.Utc)));
}
