using Berth.Storage.Downloads;
using Berth.Storage.Uploads;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Storage.Http;

public static class StorageApi
{
    /// <summary>Maps the client-facing streaming API under <c>/storage/v1</c>.</summary>
    public static RouteGroupBuilder MapBerthStorageApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/storage/v1");
        api.AddEndpointFilter(StorageProblemResults.Filter);
        UploadEndpoints.Map(api);
        DownloadEndpoints.Map(api);
        return api;
    }
}
